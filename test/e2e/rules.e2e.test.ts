/**
 * Rules in a real Chromium against the local runtime: an administrator builds a validation
 * rule with the condition builder (a problem shown live at its row first), saves and publishes
 * it; the JSON in the draft is exactly what json-rules-engine reads; a sales rep's record that
 * breaks the rule is refused with the rule's message at its field, in either language. Then an
 * assignment rule gives new accounts to the manager (its run in the run history), and a layout
 * arranged by drag and drop reaches staff forms through the record schema.
 * Screenshots go to test-results/screenshots/.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, choose, consoleForFile, demoPassword, drag, openSection, optionsOf, publish, shot, signIn, watchPage } from './harness';

const PASSWORD = demoPassword('e2e-rules-pass');
// A runtime reused across runs (TESSERA_E2E_BASE) already has the rule of an earlier run: name this run's apart.
const RULE = process.env.TESSERA_E2E_BASE ? `account_employees_${Date.now() % 1_000_000}` : 'account_employees_plausible';

const app = consoleForFile(PASSWORD);

describe.skipIf(!existsSync(CHROMIUM))('rule builders (Chromium)', () => {
  it('builds a validation rule with the condition builder (a record breaking it is refused at the field), an assignment rule (its run shows) and a layout (staff forms get it)', async () => {
    const { base, browser } = app();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    const errors = watchPage(page, 'rules-failure');
    await signIn(page, base, 'admin@demo.tessera.local', PASSWORD);

    // The rules of the installed templates, by kind
    await openSection(page, 'Rules');
    await page.waitForURL('**/rules');
    await page.getByRole('link', { name: 'opportunity_lost_needs_reason' }).waitFor();
    await shot(page, '11-rules');

    // A new validation rule on accounts
    await page.getByTestId('new-validation-rule').click();
    await page.waitForURL('**/rules/validation/new');
    await choose(page, 'rule-object', '(account)', 'account');
    await page.getByTestId('rule-name').fill(RULE);
    await choose(page, 'rule-field', '(employees)', 'employees');
    await page.getByTestId('rule-message-en').fill('More than a million employees: check the number');
    await page.getByTestId('rule-message-zh').fill('员工超过一百万：请核对人数');

    // The condition: Employees > 1,000,000. Fact first, then an operator that fits a number, then the value.
    await page.getByTestId('rule-conditions').getByRole('button', { name: '+ Condition' }).click();
    await choose(page, 'condition-field-0', 'Employees');
    await page.getByTestId('condition-operator-0').click();
    const operators = await (await optionsOf(page, 'condition-operator-0')).allTextContents();
    expect(operators).toContain('≥');
    expect(operators).not.toContain('is before');
    expect(operators).not.toContain('starts with');
    await (await optionsOf(page, 'condition-operator-0')).filter({ hasText: /^>$/ }).click();
    // No value yet: the engine's own check says so at the row, before anything is saved
    await page.getByTestId('condition-problem-0').first().waitFor();
    expect(await page.getByTestId('condition-problem-0').first().textContent()).toContain('greaterThan on employees takes');
    await shot(page, '12-condition-problem');
    await page.locator('input[data-testid="condition-value-0"], [data-testid="condition-value-0"] input').first().fill('1000000');
    await expect.poll(() => page.getByTestId('condition-problem-0').count()).toBe(0);
    await shot(page, '13-validation-rule');

    // Save: the whole draft is PUT, then validated
    await page.getByTestId('save-rule').click();
    await page.waitForURL(`**/rules/validation/${RULE}`);
    await expect.poll(() => page.getByTestId('validation-state').textContent()).toBe('The draft is valid');

    // The draft holds exactly the json-rules-engine JSON the builder showed
    const token = await page.evaluate(() => sessionStorage.getItem('tessera.token'));
    const admin = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const draft = (await (await fetch(`${base}/api/metadata/draft`, { headers: admin })).json()) as { bundle: { validationRules: Array<Record<string, unknown>> } };
    expect(draft.bundle.validationRules.find((r) => r.name === RULE)).toEqual({
      name: RULE, object: 'account', field: 'employees',
      conditions: { all: [{ fact: 'employees', operator: 'greaterThan', value: 1000000 }] },
      message: { en: 'More than a million employees: check the number', 'zh-CN': '员工超过一百万：请核对人数' },
    });

    // Publish
    await publish(page);

    // A sales rep's account with two million employees is refused with the rule's message at the field
    const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'demo', email: 'sales@demo.tessera.local', password: PASSWORD }) });
    const sales = { authorization: `Bearer ${((await login.json()) as { token: string }).token}`, 'content-type': 'application/json' };
    const refused = await fetch(`${base}/api/objects/account/records`, { method: 'POST', headers: sales, body: JSON.stringify({ name: 'Huge Co', employees: 2000000 }) });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { errors: unknown[] }).errors).toContainEqual(expect.objectContaining({ pointer: '/employees', message: 'More than a million employees: check the number' }));
    const inChinese = await fetch(`${base}/api/objects/account/records`, { method: 'POST', headers: { ...sales, 'accept-language': 'zh-CN' }, body: JSON.stringify({ name: 'Huge Co', employees: 2000000 }) });
    expect(((await inChinese.json()) as { errors: unknown[] }).errors).toContainEqual(expect.objectContaining({ pointer: '/employees', message: '员工超过一百万：请核对人数' }));
    const accepted = await fetch(`${base}/api/objects/account/records`, { method: 'POST', headers: sales, body: JSON.stringify({ name: 'Positive Co', employees: 5 }) });
    expect(accepted.status).toBe(201);

    // The rule list shows it with no problems
    await page.getByRole('button', { name: 'Back to rules' }).click();
    await page.getByRole('link', { name: RULE }).waitFor();

    // An assignment rule: new accounts go to the sales manager; its run shows in the run history
    await page.getByRole('tab', { name: 'Assignment' }).click();
    await choose(page, 'new-assignment', '(account)', 'account');
    await page.waitForURL('**/rules/assignment/account');
    await page.getByTestId('add-entry').click();
    await page.getByTestId('entry-0-name').fill('to_the_manager');
    await choose(page, 'entry-0-assignee-type', 'A user');
    await choose(page, 'entry-0-assignee-user', 'manager@demo.tessera.local', 'manager');
    await page.getByTestId('save-rule').click();
    await expect.poll(() => page.getByTestId('validation-state').textContent()).toBe('The draft is valid');
    await publish(page);
    const managerId = ((await (await fetch(`${base}/api/users`, { headers: admin })).json()) as { items: Array<{ id: string; email: string }> }).items.find((u) => u.email === 'manager@demo.tessera.local')!.id;
    const assigned = await fetch(`${base}/api/objects/account/records`, { method: 'POST', headers: sales, body: JSON.stringify({ name: 'Assigned Co', employees: 12 }) });
    expect(assigned.status).toBe(201);
    expect(((await assigned.json()) as { owner: string }).owner).toBe(managerId);
    await page.getByTestId('rule-runs').getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => page.getByTestId('run-outcome').first().textContent()).toBe('applied');
    await shot(page, '14-assignment-rule-runs');

    // A layout for accounts: the default arrangement, with the notes dragged off it; staff forms get it from the record schema
    await page.goto(`${base}/objects/account/layouts`);
    await page.setViewportSize({ width: 1400, height: 1600 });
    await page.getByTestId('new-layout').click();
    await drag(page, page.getByTestId('chip-description'), page.getByTestId('palette'));
    await expect.poll(() => page.getByTestId('palette').getByTestId('chip-description').count()).toBe(1);
    await page.getByTestId('layout-preview').getByText('Account name').waitFor();
    await shot(page, '15-layout-editor');
    await page.getByTestId('save-layouts').click();
    await expect.poll(() => page.getByTestId('validation-state').textContent()).toBe('The draft is valid');
    await publish(page);
    const schema = (await (await fetch(`${base}/api/objects/account/schema`, { headers: sales })).json()) as { 'x-layout': { sections: Array<{ columns: string[][] }> } };
    const placed = schema['x-layout'].sections.flatMap((s) => s.columns.flat());
    expect(placed).toContain('name');
    expect(placed).not.toContain('description');
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${base}/rules/assignment/account`);

    // The same screen in Chinese
    await page.getByText('简体中文').click();
    await page.getByRole('button', { name: '添加条目' }).waitFor();
    await page.getByText('English', { exact: true }).click();
    expect(errors).toEqual([]);
  }, 120_000);
});

/**
 * Issue #8's admin journey in a real Chromium against the local runtime, one continuous story:
 * sign in, switch language, build a custom object with five field types (a problem shown at its
 * option first), validate, publish, find it in the version history, use it through the API; then,
 * in the console only, grant the sales rep role the object in the permission matrix, arrange a
 * layout of two sections by drag and drop, add a validation rule (condition builder, message in
 * both languages, at its field) and an assignment rule, publish; then as the sales rep in the
 * staff app create a record through the generated form: the rule refuses a score of 11 at the
 * score field, the saved record belongs to the manager, and the form speaks Chinese in 简体中文.
 * Screenshots of each screen go to test-results/screenshots/.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, appears, choose, clickInModal, consoleForFile, demoPassword, drag, fieldErrors, openSection, optionsOf, publish, shot, signIn, watchPage } from './harness';

const PASSWORD = demoPassword('e2e-admin-pass');
const ADMIN = 'admin@demo.tessera.local';
const REP = 'sales@demo.tessera.local';

const app = consoleForFile(PASSWORD);

describe.skipIf(!existsSync(CHROMIUM))('admin console (Chromium)', () => {
  it('builds a custom object with five field types, its permissions, layout, validation and assignment rules in the console; a sales rep then creates a record that the rules shape, in English and Chinese', async () => {
    const { base, browser } = app();
    if (!process.env.TESSERA_E2E_BASE) expect(app().output()).toContain(`Admin console   ${base}/`);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    const errors = watchPage(page, 'failure');

    // Static serving: a client route falls back to the console, assets have their type, no traversal.
    const deep = await fetch(`${base}/objects/anything`);
    expect(deep.headers.get('content-type')).toContain('text/html');
    expect((await fetch(`${base}/assets/..%2F..%2Fpackage.json`)).status).toBe(404);

    // Sign in
    await page.goto(`${base}/`);
    await page.waitForURL('**/login');
    await page.locator('#login-email').fill(ADMIN);
    await page.locator('#login-password').fill(PASSWORD);
    await shot(page, '01-login');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/objects');
    await expect.poll(() => page.getByTestId('tenant-name').textContent()).not.toBe('…');
    await page.getByRole('link', { name: 'Account', exact: true }).waitFor();
    await shot(page, '02-objects');

    // Language: console labels and tenant metadata labels follow it
    await page.getByText('简体中文').click();
    await page.getByRole('menuitem', { name: '对象' }).waitFor();
    await page.getByRole('link', { name: '客户', exact: true }).waitFor();
    await shot(page, '03-objects-zh');
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('menuitem', { name: 'Objects' }).waitFor();

    // A new object: a text name field comes with it; add number, picklist, date and lookup
    await page.getByRole('button', { name: 'New object' }).click();
    await page.getByTestId('object-label-en').fill('Site inspection');
    await page.getByTestId('object-label-zh').fill('现场检查');
    await expect.poll(() => page.getByTestId('object-name').inputValue()).toBe('site_inspection');
    let fieldCount = 1;
    const addField = async (type: string, label: string, zh: string, name: string) => {
      await choose(page, 'add-field', type);
      await page.getByTestId(`field-row-${fieldCount++}`).waitFor();
      await expect.poll(() => page.getByTestId('field-type').textContent()).toBe(type);
      await page.getByTestId('field-label-en').fill(label);
      await page.getByTestId('field-label-zh').fill(zh);
      await page.getByTestId('field-name').fill(name);
    };
    await addField('Number', 'Score', '得分', 'score');
    await addField('Picklist', 'Status', '状态', 'status');
    await page.getByTestId('add-option').click();
    await page.getByTestId('add-option').click();
    await page.getByTestId('option-0').getByTestId('option-value').fill('open');
    await page.getByTestId('option-0').getByTestId('option-label-en').fill('Open');
    await page.getByTestId('option-0').getByTestId('option-label-zh').fill('未结');
    await page.getByTestId('option-1').getByTestId('option-label-en').fill('Closed');
    await page.getByTestId('option-1').getByTestId('option-label-zh').fill('已结');
    await addField('Date', 'Inspected on', '检查日期', 'inspected_on');
    await addField('Lookup', 'Account', '客户', 'account');
    await choose(page, 'field-target', '(account)', 'account');

    // The second option has no value: saved to the draft, Validate reports it at that option, not as a toast of JSON
    await page.getByTestId('save-object').click();
    await page.waitForURL('**/objects/site_inspection');
    await page.getByRole('button', { name: 'Validate' }).click();
    await expect.poll(() => page.getByTestId('validation-state').textContent()).toBe('1 problem');
    await page.getByTestId('field-problems-2').locator('.ant-badge-count').waitFor();
    await page.getByTestId('field-row-2').click();
    await expect.poll(() => page.getByTestId('option-1').locator('.ant-typography-danger').count()).toBe(1);
    await shot(page, '04-object-editor-problem');
    await page.getByTestId('option-1').getByTestId('option-value').fill('closed');
    await page.getByTestId('save-object').click();
    await page.getByText('Saved to the draft').first().waitFor();
    await shot(page, '05-object-editor');

    // Validate and publish
    await page.getByRole('button', { name: 'Validate' }).click();
    await expect.poll(() => page.getByTestId('validation-state').textContent()).toBe('The draft is valid');
    const published = await publish(page);
    expect(published).toBeGreaterThan(1);

    // Version history and its diff
    await openSection(page, 'Versions');
    await page.getByTestId(`version-${published}`).waitFor();
    await page.getByTestId('diff').getByText('/objects/site_inspection', { exact: true }).waitFor();
    await shot(page, '06-versions');

    // The other screens render
    await openSection(page, 'Templates');
    await page.getByTestId('template-crm-core').waitFor();
    await shot(page, '07-templates');
    await openSection(page, 'Users');
    await page.getByRole('cell', { name: ADMIN }).waitFor();
    await shot(page, '08-users');

    // The API screen: the reference from the caller's own document knows the object just published,
    // and a new integration key is shown once and works at once.
    await openSection(page, 'API');
    await page.waitForURL('**/integrations');
    await expect.poll(() => page.getByTestId('api-title').textContent()).toMatch(/^Tessera API — /);
    await page.getByTestId('api-search').locator('input').fill('site_inspection batch');
    await expect.poll(() => page.getByTestId('api-count').textContent()).toBe('1 operation');
    await page.getByText('POST', { exact: true }).first().click();
    await page.getByTestId('operation-batchRecords_site_inspection').waitFor();
    await shot(page, '09-api-reference');
    await page.getByTestId('new-api-key').click();
    await page.getByTestId('api-key-form').locator('input').first().fill('ERP');
    await choose(page, 'api-key-role', 'sales_rep');
    await expect.poll(() => page.getByTestId('api-key-role').textContent()).toContain('sales_rep');
    await clickInModal(page.locator('.ant-modal-footer').getByRole('button', { name: 'New API key' }));
    const issued = (await (await appears(page, page.getByTestId('issued-key'))).textContent()) ?? '';
    expect(issued).toMatch(/^tsk_demo_/);
    await shot(page, '10-api-key');
    const asKey = await (await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${issued}` } })).json();
    expect(asKey).toMatchObject({ tenantId: 'demo', roles: ['sales_rep'] });
    await clickInModal(page.getByRole('dialog').getByRole('button', { name: 'OK' }));
    await page.getByTestId('issued-key').waitFor({ state: 'hidden' });

    // The published object takes records through the API, as the signed-in admin
    const token = await page.evaluate(() => sessionStorage.getItem('tessera.token'));
    expect(token).toBeTruthy();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const accounts = (await (await fetch(`${base}/api/objects/account/records?limit=1`, { headers })).json()) as { items: Array<{ id: string }> };
    const created = await fetch(`${base}/api/objects/site_inspection/records`, {
      method: 'POST', headers,
      body: JSON.stringify({ name: 'First inspection', score: 7, status: 'open', inspected_on: '2026-12-01', account: accounts.items[0]!.id }),
    });
    expect(created.status).toBe(201);
    const record = (await created.json()) as { id: string };
    const read = await fetch(`${base}/api/objects/site_inspection/records/${record.id}`, { headers });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ name: 'First inspection', status: 'open', inspected_on: '2026-12-01' });

    // (a) Roles: sales reps may create, read and change inspections — every one of them, since the
    // assignment rule below gives new inspections to their manager.
    await openSection(page, 'Roles');
    await page.waitForURL('**/roles');
    await page.getByTestId('role-tree').getByText('Sales rep (sales_rep)').click();
    await page.locator('input[data-testid="matrix-filter"], [data-testid="matrix-filter"] input').first().fill('inspection');
    for (const permission of ['create', 'read', 'update']) {
      await page.getByTestId(`perm-site_inspection-${permission}`).click();
      await expect.poll(() => page.getByTestId(`perm-site_inspection-${permission}`).textContent()).toContain('✓');
    }
    expect(await page.getByTestId('perm-site_inspection-delete').textContent()).toBe('—');
    await choose(page, 'scope-site_inspection', 'All');
    await page.getByTestId('save-roles').click();
    await expect.poll(() => page.getByTestId('validation-state').textContent()).toBe('The draft is valid');
    await shot(page, '16-roles-matrix');

    // (b) A layout: the default one, plus a second section "Visit" that the date and the account are dragged into
    await openSection(page, 'Objects');
    await page.getByRole('link', { name: 'Site inspection', exact: true }).click();
    await page.waitForURL('**/objects/site_inspection');
    await page.getByTestId('open-layouts').click();
    await page.waitForURL('**/objects/site_inspection/layouts');
    await page.setViewportSize({ width: 1400, height: 1400 });
    await page.getByTestId('new-layout').click();
    await page.getByTestId('add-section').click();
    await page.getByTestId('section-1-label-en').fill('Visit');
    await page.getByTestId('section-1-label-zh').fill('走访');
    await drag(page, page.getByTestId('chip-inspected_on'), page.getByTestId('column-1-0'));
    await expect.poll(() => page.getByTestId('column-1-0').getByTestId('chip-inspected_on').count()).toBe(1);
    await drag(page, page.getByTestId('chip-account'), page.getByTestId('column-1-1'));
    await expect.poll(() => page.getByTestId('column-1-1').getByTestId('chip-account').count()).toBe(1);
    expect(await page.getByTestId('section-0').getByTestId('chip-account').count()).toBe(0);
    await page.getByTestId('layout-preview').getByText('Visit', { exact: true }).waitFor();
    await shot(page, '17-layout-sections');
    await page.getByTestId('save-layouts').click();
    await expect.poll(() => page.getByTestId('validation-state').textContent()).toBe('The draft is valid');
    await page.setViewportSize({ width: 1400, height: 900 });

    // (c) A validation rule built with the condition builder: a score above 10 is refused, at the score
    await openSection(page, 'Rules');
    await page.waitForURL('**/rules');
    await page.getByTestId('new-validation-rule').click();
    await page.waitForURL('**/rules/validation/new');
    await choose(page, 'rule-object', '(site_inspection)', 'site_inspection');
    await page.getByTestId('rule-name').fill('inspection_score_limit');
    await choose(page, 'rule-field', '(score)', 'score');
    await page.getByTestId('rule-message-en').fill('A score above 10 is not possible: check it');
    await page.getByTestId('rule-message-zh').fill('得分不能超过 10：请核对');
    await page.getByTestId('rule-conditions').getByRole('button', { name: '+ Condition' }).click();
    await choose(page, 'condition-field-0', 'Score');
    await page.getByTestId('condition-operator-0').click();
    await (await optionsOf(page, 'condition-operator-0')).filter({ hasText: /^>$/ }).click();
    await page.locator('input[data-testid="condition-value-0"], [data-testid="condition-value-0"] input').first().fill('10');
    await expect.poll(() => page.getByTestId('condition-problem-0').count()).toBe(0);
    await shot(page, '18-journey-validation-rule');
    await page.getByTestId('save-rule').click();
    await page.waitForURL('**/rules/validation/inspection_score_limit');
    await expect.poll(() => page.getByTestId('validation-state').textContent()).toBe('The draft is valid');

    // (d) An assignment rule: new inspections go to the sales manager. Then publish everything.
    await page.getByRole('button', { name: 'Back to rules' }).click();
    await page.getByRole('tab', { name: 'Assignment' }).click();
    await choose(page, 'new-assignment', '(site_inspection)', 'site_inspection');
    await page.waitForURL('**/rules/assignment/site_inspection');
    await page.getByTestId('add-entry').click();
    await page.getByTestId('entry-0-name').fill('inspections_to_the_manager');
    await choose(page, 'entry-0-assignee-type', 'A user');
    await choose(page, 'entry-0-assignee-user', 'manager@demo.tessera.local', 'manager');
    await page.getByTestId('save-rule').click();
    await expect.poll(() => page.getByTestId('validation-state').textContent()).toBe('The draft is valid');
    await shot(page, '19-journey-assignment-rule');
    expect(await publish(page)).toBe(published + 1);
    expect(errors).toEqual([]);

    // (e) The sales rep, in the staff app: the new object is in the navigation, its form has the layout's sections
    const staff = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
    const staffErrors = watchPage(staff, 'journey-staff-failure');
    await signIn(staff, base, REP, PASSWORD, '**/app');
    await staff.getByTestId('nav-site_inspection').click();
    await staff.waitForURL('**/app/o/site_inspection');
    await staff.getByTestId('record-table').getByText('First inspection').waitFor();
    await shot(staff, '20-staff-inspections');
    await staff.getByTestId('new-record').click();
    await staff.waitForURL('**/app/o/site_inspection/new');
    const form = staff.getByTestId('record-form');
    const section = (title: string) => form.locator('.ant-card').filter({ has: staff.locator('.ant-card-head-title', { hasText: title }) });
    await section('Details').getByTestId('field-score').waitFor();
    expect(await section('Visit').getByTestId('field-inspected_on').count()).toBe(1);
    expect(await section('Visit').getByTestId('field-account').count()).toBe(1);

    // Five fields, one of each type; a score of 11 is refused by the rule, with its message at the score
    await staff.getByTestId('field-name').locator('input').fill('Warehouse 7 inspection');
    await staff.getByTestId('field-score').locator('input').fill('11');
    await choose(staff, staff.getByTestId('input-status'), 'Open');
    await staff.getByTestId('field-inspected_on').locator('input').fill('2026-12-01');
    await staff.keyboard.press('Enter');
    await choose(staff, staff.getByTestId('input-account'), 'Acme Cloud Ltd.', 'Acme');
    await staff.getByTestId('save-record').click();
    await expect.poll(() => fieldErrors(staff, 'score')).toEqual(['A score above 10 is not possible: check it']);
    expect(await staff.getByTestId('form-problems').count()).toBe(0);
    await shot(staff, '21-staff-rule-at-field');
    await staff.getByTestId('field-score').locator('input').fill('8');
    await expect.poll(() => fieldErrors(staff, 'score')).toEqual([]);
    await staff.getByTestId('save-record').click();

    // The record: its values, and its owner is the manager — the assignment rule ran, as its history shows
    await staff.getByTestId('record-title').getByText('Warehouse 7 inspection').waitFor();
    await expect.poll(() => staff.getByTestId('record-owner').textContent()).toBe('Owner: Mia Manager');
    expect(await staff.getByTestId('value-score').textContent()).toBe('8');
    expect(await staff.getByTestId('value-status').textContent()).toBe('Open');
    await expect.poll(() => staff.getByTestId('value-account').textContent()).toBe('Acme Cloud Ltd.');
    const run = staff.getByTestId('record-history').getByTestId('history-run').first();
    await expect.poll(() => run.textContent()).toMatch(/^Assignment rules\s*applied.*Assigned to Mia Manager \(entry inspections_to_the_manager\)$/);
    await shot(staff, '22-staff-record-assigned');
    const id = /\/app\/o\/site_inspection\/([^/?]+)$/.exec(staff.url())![1]!;
    const users = (await (await fetch(`${base}/api/users`, { headers })).json()) as { items: Array<{ id: string; email: string }> };
    const saved = (await (await fetch(`${base}/api/objects/site_inspection/records/${id}`, { headers })).json()) as Record<string, unknown>;
    expect(saved).toMatchObject({ score: 8, status: 'open', inspected_on: '2026-12-01', account: expect.any(String), owner: users.items.find((u) => u.email === 'manager@demo.tessera.local')!.id });

    // (f) In 简体中文: the values, the form's labels and sections, and the rule's message are the Chinese ones given above
    await staff.getByTestId('staff-language').getByText('简体中文').click();
    await staff.getByTestId('value-status').getByText('未结').waitFor();
    await expect.poll(() => run.textContent()).toMatch(/^分配规则\s*已执行.*已分配给 Mia Manager（条目 inspections_to_the_manager）$/);
    await staff.getByTestId('nav-site_inspection').click();
    await staff.waitForURL('**/app/o/site_inspection');
    await staff.getByTestId('new-record').click();
    await staff.waitForURL('**/app/o/site_inspection/new');
    await staff.getByTestId('create-title').getByText('现场检查').waitFor();
    await section('走访').getByTestId('field-inspected_on').getByText('检查日期').waitFor();
    expect(await staff.getByTestId('field-score').locator('label').textContent()).toBe('得分');
    expect(await staff.getByTestId('field-account').locator('label').textContent()).toBe('客户');
    await staff.getByTestId('field-name').locator('input').fill('二号仓库检查');
    await staff.getByTestId('field-score').locator('input').fill('11');
    await staff.getByTestId('save-record').click();
    await expect.poll(() => fieldErrors(staff, 'score')).toEqual(['得分不能超过 10：请核对']);
    await shot(staff, '23-staff-form-zh');
    expect(staffErrors).toEqual([]);
    await staff.close();
  }, 240_000);

  // Continues on the object the journey above published.
  it('a record type allows a subset of a picklist and has its own layout: the staff form for it offers only that subset', async () => {
    const { base, browser } = app();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1400 }, locale: 'en-US' });
    const errors = watchPage(page, 'record-types-failure');
    await signIn(page, base, ADMIN, PASSWORD);
    await page.goto(`${base}/objects/site_inspection/layouts`);

    // A second layout, for follow-ups: no score on it
    await page.getByTestId('new-layout').click();
    await page.getByTestId('layout-name').fill('follow_up');
    await page.getByTestId('layout-label-en').fill('Follow-up');
    await page.getByTestId('layout-label-zh').fill('复查');
    await drag(page, page.getByTestId('chip-score'), page.getByTestId('palette'));
    await expect.poll(() => page.getByTestId('palette').getByTestId('chip-score').count()).toBe(1);

    // Two record types: standard (the default, every status) and follow-up (its layout, only "Open")
    await page.getByRole('tab', { name: 'Record types' }).click();
    await page.getByTestId('add-record-type').click();
    await page.getByTestId('record-type-0-name').fill('standard');
    await page.getByTestId('record-type-0-label-en').fill('Standard');
    await page.getByTestId('record-type-0-label-zh').fill('标准');
    await page.getByTestId('add-record-type').click();
    await page.getByTestId('record-type-1-name').fill('follow_up');
    await page.getByTestId('record-type-1-label-en').fill('Follow-up');
    await page.getByTestId('record-type-1-label-zh').fill('复查');
    await choose(page, 'record-type-1-layout', 'Follow-up', '');
    await page.getByTestId('record-types').locator('tr[data-row-key="1"] .ant-table-row-expand-icon').click();
    const statuses = page.getByTestId('record-type-1-values-status');
    await statuses.getByTestId('all-values').click();
    await statuses.locator('.ant-select-selection-item', { hasText: 'Closed' }).locator('.ant-select-selection-item-remove').click();
    await expect.poll(() => statuses.locator('.ant-select-selection-item').allTextContents()).toEqual(['Open']);
    await shot(page, '24-record-types');
    await page.getByTestId('save-layouts').click();
    await expect.poll(() => page.getByTestId('validation-state').textContent()).toBe('The draft is valid');
    await publish(page);
    expect(errors).toEqual([]);

    // The sales rep: a standard inspection offers both statuses; a follow-up only "Open", on its own layout
    const staff = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
    watchPage(staff, 'record-types-staff-failure', errors);
    await signIn(staff, base, REP, PASSWORD, '**/app');
    await staff.getByTestId('nav-site_inspection').click();
    await staff.getByTestId('new-record').click();
    await staff.waitForURL('**/app/o/site_inspection/new');
    const offered = async () => {
      await staff.getByTestId('input-status').click();
      const options = await (await optionsOf(staff, 'input-status')).allTextContents();
      await staff.keyboard.press('Escape');
      return options;
    };
    // The form's sections are the type's layout; a field its layout leaves out follows it, unlabelled (formLayout.ts)
    const form = staff.getByTestId('record-form');
    const section = (title: string) => form.locator('.ant-card').filter({ has: staff.locator('.ant-card-head-title', { hasText: title }) });
    await expect.poll(() => staff.getByTestId('record-type').textContent()).toBe('Standard');
    await expect.poll(() => section('Details').getByTestId('field-score').count()).toBe(1);
    expect(await section('Visit').count()).toBe(1);
    await expect.poll(offered).toEqual(['Open', 'Closed']);
    await choose(staff, 'record-type', 'Follow-up', '');
    await expect.poll(() => section('Details').getByTestId('field-score').count()).toBe(0);
    expect(await section('Visit').count()).toBe(0);
    await expect.poll(offered).toEqual(['Open']);
    await staff.getByTestId('field-name').locator('input').fill('Warehouse 7 follow-up');
    await choose(staff, staff.getByTestId('input-status'), 'Open');
    await shot(staff, '25-staff-record-type-form');
    await staff.getByTestId('save-record').click();
    // Saved: the record's page (a refusal would show its problems and fail here with their text)
    const problems = staff.getByTestId('form-problems');
    await expect.poll(async () => ((await problems.count()) ? await problems.textContent() : staff.url())).toMatch(/\/app\/o\/site_inspection\/(?!new$)[^/]+$/);
    await staff.getByTestId('record-title').getByText('Warehouse 7 follow-up').waitFor();
    const token = await staff.evaluate(() => sessionStorage.getItem('tessera.token'));
    const id = /\/app\/o\/site_inspection\/([^/?]+)$/.exec(staff.url())![1]!;
    const saved = (await (await fetch(`${base}/api/objects/site_inspection/records/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, unknown>;
    expect(saved).toMatchObject({ record_type: 'follow_up', status: 'open' });
    expect(errors).toEqual([]);
  }, 180_000);
});

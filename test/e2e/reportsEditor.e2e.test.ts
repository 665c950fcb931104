/**
 * The console's reports and dashboards editor in a real Chromium against the local runtime: an
 * administrator builds a report (opportunities by stage, sum of amount, bar chart) without
 * JSON, then a dashboard with it and the crm-core funnel, moves the funnel first by keyboard
 * (the tiles' drag and drop), publishes, and the staff app's Reports page shows the new
 * dashboard with the report's tile drawn. The lead conversion crm-core ships opens in its editor
 * and saves back unchanged; fixed values are added to its opportunity (a stage picked by its
 * label, a probability typed), a value the server refuses shows at its row, and removing the
 * rows restores the conversion. Screenshots go to test-results/screenshots/.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, choose, consoleForFile, demoPassword, openSection, optionsOf, publish, shot, signIn, watchPage } from './harness';

const PASSWORD = demoPassword('e2e-reports-editor-pass');
// A runtime reused across runs (TESSERA_E2E_BASE) already has an earlier run's report: name this run's apart.
const RUN = process.env.TESSERA_E2E_BASE ? `_${Date.now() % 1_000_000}` : '';
const REPORT = `deals_by_stage${RUN}`;
const DASHBOARD = `deals${RUN}`;

const app = consoleForFile(PASSWORD);

describe.skipIf(!existsSync(CHROMIUM))('reports and dashboards editor (Chromium)', () => {
  it('builds a report and a dashboard without JSON, publishes them, and the staff app shows the new tile', async () => {
    const { base, browser } = app();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    const errors = watchPage(page, 'reports-editor-failure');
    await signIn(page, base, 'admin@demo.tessera.local', PASSWORD);

    // The reports crm-core ships
    await openSection(page, 'Reports & dashboards');
    await page.waitForURL('**/reports');
    await page.getByRole('link', { name: 'sales_funnel' }).waitFor();

    // A new report: opportunities by stage, the sum of their amount, as bars
    await page.getByTestId('new-report').click();
    await page.waitForURL('**/reports/report/new');
    await choose(page, 'report-object', '(opportunity)', 'opportunity');
    await page.getByTestId('report-name').fill(REPORT);
    await page.getByTestId('report-label-en').fill('Deals by stage');
    await page.getByTestId('report-label-zh').fill('各阶段商机');
    await choose(page, 'grouping-field-0', '(stage)', 'stage');
    // A grouping by stage takes no time unit; measures offer only numeric fields
    expect(await page.getByTestId('grouping-unit-0').count()).toBe(0);
    await choose(page, 'measure-fn-0', 'Sum of', 'Sum');
    await page.getByTestId('measure-field-0').click();
    const numeric = await (await optionsOf(page, 'measure-field-0')).allTextContents();
    expect(numeric.some((o) => o.includes('(amount)'))).toBe(true);
    expect(numeric.some((o) => o.includes('(stage)'))).toBe(false);
    await page.keyboard.type('amount');
    await (await optionsOf(page, 'measure-field-0')).filter({ hasText: '(amount)' }).first().click();
    await choose(page, 'report-chart', /^Bar$/, 'Bar');
    await shot(page, '41-report-editor');
    await page.getByTestId('save-report').click();
    await page.waitForURL(`**/reports/report/${REPORT}`);
    await expect.poll(() => page.getByTestId('validation-state').textContent()).toBe('The draft is valid');

    // The draft holds exactly the report the form showed
    const token = await page.evaluate(() => sessionStorage.getItem('tessera.token'));
    const admin = { authorization: `Bearer ${token}` };
    const draft = async () => (await (await fetch(`${base}/api/metadata/draft`, { headers: admin })).json()) as { bundle: { reports: Array<{ name: string }>; dashboards: Array<{ name: string }> } };
    expect((await draft()).bundle.reports.find((r) => r.name === REPORT)).toEqual({
      name: REPORT, label: { en: 'Deals by stage', 'zh-CN': '各阶段商机' }, object: 'opportunity',
      groupings: [{ field: 'stage' }], measures: [{ fn: 'sum', field: 'amount' }], chart: 'bar',
    });

    // A dashboard for everyone: the new report, then the funnel, moved first with the keyboard
    await page.getByRole('button', { name: 'Back to reports & dashboards' }).click();
    await page.getByRole('tab', { name: 'Dashboards' }).click();
    await page.getByTestId('new-dashboard').click();
    await page.waitForURL('**/reports/dashboard/new');
    await page.getByTestId('dashboard-name').fill(DASHBOARD);
    await page.getByTestId('dashboard-label-en').fill('Deals');
    await choose(page, 'add-tile', `(${REPORT})`, REPORT);
    await choose(page, 'add-tile', '(sales_funnel)', 'sales_funnel');
    await page.getByTestId('tile-row-1').waitFor();
    await page.getByTestId('tile-width-0').getByText('Full').click();
    const handle = page.getByTestId('tile-row-1').getByLabel('Drag to reorder');
    // dnd-kit's keyboard sensor: Space lifts (the handle says aria-pressed), an arrow moves the row once it is measured, and
    // Space drops it where it shows — only once the row it passes has made room (moved by a transform), else the drop lands over nothing.
    const shifted = (row: string) => page.getByTestId(row).evaluate((el) => {
      for (let e: Element | null = el; e; e = e.parentElement) if (e instanceof HTMLElement && /translate3d\((?!0px, 0px)/.test(e.style.transform)) return true;
      return false;
    });
    await handle.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => handle.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(async () => {
      if (!(await shifted('tile-row-1'))) await page.keyboard.press('ArrowUp');
      return (await shifted('tile-row-1')) && (await shifted('tile-row-0'));
    }).toBe(true);
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('tile-report-0').textContent()).toContain('(sales_funnel)');
    await shot(page, '42-dashboard-editor');
    await page.getByTestId('save-dashboard').click();
    await page.waitForURL(`**/reports/dashboard/${DASHBOARD}`);
    await expect.poll(() => page.getByTestId('validation-state').textContent()).toBe('The draft is valid');
    expect((await draft()).bundle.dashboards.find((d) => d.name === DASHBOARD)).toEqual({
      name: DASHBOARD, label: { en: 'Deals' }, tiles: [{ report: 'sales_funnel' }, { report: REPORT, width: 'full' }],
    });

    // Publish; the staff app draws the new report on the new dashboard
    await publish(page);
    await page.goto(`${base}/app/reports`);
    await page.getByTestId(`dashboard-tab-${DASHBOARD}`).click();
    const tile = page.getByTestId(`tile-${REPORT}`);
    await tile.locator('.recharts-bar-rectangle').first().waitFor();
    const sums = await tile.locator('[data-testid="datum"][data-series="sum:amount"]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-key')));
    expect(sums.length).toBeGreaterThan(1);
    await shot(page, '43-dashboard-in-staff-app');
    expect(errors).toEqual([]);
  });

  it('shows the crm-core funnel report (its stage filter as picked options) and lead conversion in their editors, saves both back unchanged, and edits the conversion\'s fixed values', async () => {
    const { base, browser } = app();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    const errors = watchPage(page, 'conversion-editor-failure');
    await signIn(page, base, 'admin@demo.tessera.local', PASSWORD);
    const token = await page.evaluate(() => sessionStorage.getItem('tessera.token'));
    type Conversion = { name: string; opportunity?: { set?: Record<string, unknown> } };
    const conversion = async () => ((await (await fetch(`${base}/api/metadata/draft`, { headers: { authorization: `Bearer ${token}` } })).json()) as { bundle: { conversions: Conversion[] } }).bundle.conversions.find((c) => c.name === 'lead_conversion')!;
    const before = await conversion();
    const funnel = async () => ((await (await fetch(`${base}/api/metadata/draft`, { headers: { authorization: `Bearer ${token}` } })).json()) as { bundle: { reports: Array<{ name: string }> } }).bundle.reports.find((r) => r.name === 'sales_funnel');
    const funnelBefore = await funnel();

    await page.goto(`${base}/reports/report/sales_funnel`);
    await page.getByTestId('filter-value-0').waitFor();
    expect(await page.getByTestId('filter-value-0').locator('.ant-select-selection-item').allTextContents()).toHaveLength(5);
    await page.getByTestId('save-report').click();
    await expect.poll(() => page.getByTestId('validation-state').textContent()).toBe('The draft is valid');
    expect(await funnel()).toEqual(funnelBefore);

    await page.goto(`${base}/reports?kind=conversions`);
    await page.getByRole('link', { name: 'lead_conversion' }).click();
    await page.waitForURL('**/reports/conversion/lead_conversion');
    expect(await page.getByTestId('conversion-account-link').textContent()).toContain('(converted_account)');
    expect(await page.getByTestId('conversion-with-opportunity').getAttribute('aria-checked')).toBe('true');
    await shot(page, '44-conversion-editor');
    await page.getByTestId('save-conversion').click();
    await expect.poll(() => page.getByTestId('validation-state').textContent()).toBe('The draft is valid');
    expect(await conversion()).toEqual(before);

    // Fixed values of the opportunity: crm-core sets its close date 30 days out (shown as such);
    // a field already carried over or computed is not offered, a picklist shows its labels.
    const kept = Object.keys(before.opportunity?.set ?? {});
    expect(kept).toContain('close_date');
    const closeRow = kept.indexOf('close_date');
    // antd puts an InputNumber's test id on its input or on a wrapper, depending on the version
    const numberInput = (id: string) => page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();
    expect(await numberInput(`set-opportunity-${closeRow}-days`).inputValue()).toBe('30');
    const [stage, probability] = [kept.length, kept.length + 1];
    await page.getByTestId('set-opportunity-add').click();
    await page.getByTestId(`set-opportunity-${stage}-field`).click();
    const offered = await (await optionsOf(page, `set-opportunity-${stage}-field`)).allTextContents();
    expect(offered.some((o) => o.includes('(stage)'))).toBe(true);
    expect(offered.some((o) => o.includes('(name)') || o.includes('(number)') || o.includes('(close_date)'))).toBe(false);
    await page.keyboard.press('Escape');
    await choose(page, `set-opportunity-${stage}-field`, '(stage)', 'stage');
    await choose(page, `set-opportunity-${stage}-value`, 'Qualify');
    await page.getByTestId('set-opportunity-add').click();
    await choose(page, `set-opportunity-${probability}-field`, '(probability)', 'probability');
    await numberInput(`set-opportunity-${probability}-value`).fill('25');
    await shot(page, '45-conversion-fixed-values');
    await page.getByTestId('save-conversion').click();
    await expect.poll(async () => (await conversion()).opportunity?.set).toEqual({ ...before.opportunity?.set, stage: { value: 'qualify' }, probability: { value: 25 } });
    await expect.poll(() => page.getByTestId('validation-state').textContent()).toBe('The draft is valid');

    // A value the server refuses (written as JSON, outside the form) shows at its row after validating
    const view = (await (await fetch(`${base}/api/metadata/draft`, { headers: { authorization: `Bearer ${token}` } })).json()) as { revision: number; bundle: { conversions: Conversion[] } };
    const broken = view.bundle.conversions.find((c) => c.name === 'lead_conversion')!;
    broken.opportunity!.set!.stage = { value: 'no_such_stage' };
    const put = await fetch(`${base}/api/metadata/draft`, { method: 'PUT', body: JSON.stringify(view.bundle), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': `"${view.revision}"` } });
    expect(put.status).toBe(200);
    await page.reload();
    await page.getByTestId(`set-opportunity-${stage}-value`).waitFor();
    await page.getByTestId('draft-bar').getByRole('button', { name: 'Validate' }).click();
    const stageRow = page.getByTestId(`set-opportunity-${stage}`);
    await expect.poll(() => stageRow.locator('.ant-form-item-explain-error').allTextContents()).not.toEqual([]);
    await shot(page, '46-conversion-fixed-value-problem');
    expect(await page.getByTestId('rule-problems').count()).toBe(0);

    // Picking a stage again mends it; removing the added rows gives back the conversion crm-core ships
    await choose(page, `set-opportunity-${stage}-value`, 'Qualify');
    await page.getByTestId(`set-opportunity-${probability}-remove`).click();
    await page.getByTestId(`set-opportunity-${stage}-remove`).click();
    await page.getByTestId('save-conversion').click();
    await expect.poll(() => conversion()).toEqual(before);
    await expect.poll(() => page.getByTestId('validation-state').textContent()).toBe('The draft is valid');
    expect(errors).toEqual([]);
  });
});

/**
 * The sales dashboard in a real Chromium against the local runtime, as the demo sales manager:
 * the dashboard tab, a chart drawn (SVG bars), its numbers read from the tile's table, and a
 * drill-down from one bar to the list of exactly the records behind it. Screenshots go to
 * test-results/screenshots/reports-*.png. `TESSERA_E2E_BASE` reuses a running runtime (see harness.ts).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Console } from './harness';
import { demoPassword, shot, startConsole } from './harness';

const PASSWORD = demoPassword('e2e-reports-pass');
const MANAGER = 'manager@demo.tessera.local';

let ui: Console;
let page: Page;

beforeAll(async () => {
  ui = await startConsole(PASSWORD);
  page = await (await ui.browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' })).newPage();
  await page.goto(`${ui.base}/login`);
  await page.locator('#login-email').fill(MANAGER);
  await page.locator('#login-password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/app');
}, 240_000);

afterAll(async () => {
  await ui?.stop();
});

/** The numbers of one series of a tile, by group key, as its table holds them. */
const datums = (tile: ReturnType<Page['getByTestId']>, series: string) =>
  tile.locator(`[data-testid="datum"][data-series="${series}"]`).evaluateAll((cells) => cells.map((c) => ({ key: c.getAttribute('data-key'), value: Number(c.getAttribute('data-value')) })));

describe('sales dashboard', () => {
  it('shows the manager the sales dashboard with a chart per tile, and a bar drills down to the records behind it', async () => {
    await page.goto(`${ui.base}/app/reports`);
    await page.getByTestId('dashboard-tab-sales').waitFor();
    const tile = page.getByTestId('tile-pipeline_by_owner');
    await tile.locator('.recharts-bar-rectangle').first().waitFor();
    await page.getByTestId('tile-sales_funnel').locator('[data-testid="tile-chart"] svg').first().waitFor();
    await shot(page, 'reports-sales-dashboard');

    // The open pipeline by owner: the demo's open deals, of the rep and the manager.
    const counts = await datums(tile, 'count');
    const amounts = await datums(tile, 'sum:amount');
    expect(counts.length).toBeGreaterThanOrEqual(2);
    expect(counts.every((c) => c.value > 0)).toBe(true);
    expect(amounts.map((a) => a.key)).toEqual(counts.map((c) => c.key));
    expect(amounts.every((a) => a.value > 0)).toBe(true);

    // The first bar is the first group: its list holds exactly its records.
    const first = counts[0]!;
    await tile.locator('.recharts-bar-rectangle').first().click();
    await page.waitForURL(/\/app\/o\/opportunity\?/);
    expect(decodeURIComponent(page.url())).toContain(`f=owner.eq.${first.key}`);
    await page.getByTestId('record-link').first().waitFor();
    await expect.poll(() => page.getByTestId('record-link').count()).toBe(first.value);
    await shot(page, 'reports-drill-down');
  });

  it('shows the same numbers as a table when asked, each row a link to its records', async () => {
    await page.goto(`${ui.base}/app/reports`);
    const tile = page.getByTestId('tile-sales_funnel');
    await tile.getByTestId('tile-view').getByText('Table').click();
    await tile.getByTestId('tile-table').waitFor({ state: 'visible' });
    const stages = await datums(tile, 'sum:amount');
    expect(stages.map((s) => s.key)).toEqual(expect.arrayContaining(['needs', 'proposal', 'negotiation']));
    expect(await tile.getByTestId('datum-link').first().getAttribute('href')).toMatch(/^\/app\/o\/opportunity\?f=stage\.eq\./);
  });

  it('shows a service agent the service dashboard, requests by status split by SLA breach, and not the sales one', async () => {
    const agent = await (await ui.browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' })).newPage();
    await agent.goto(`${ui.base}/login`);
    await agent.locator('#login-email').fill('service@demo.tessera.local');
    await agent.locator('#login-password').fill(PASSWORD);
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.waitForURL('**/app');
    await agent.goto(`${ui.base}/app/reports`);
    await agent.getByTestId('dashboard-tab-service').waitFor();
    expect(await agent.getByTestId('dashboard-tab-sales').count()).toBe(0);
    const tile = agent.getByTestId('tile-service_by_status_sla');
    await tile.locator('.recharts-bar-rectangle').first().waitFor();
    const notBreached = await datums(tile, 'false');
    expect(notBreached.reduce((n, d) => n + d.value, 0)).toBeGreaterThan(0);
    await shot(agent, 'reports-service-dashboard');
  });
});


/**
 * The staff app in a real Chromium against the local runtime, as a sales rep of the demo
 * tenant: home, a list filtered through an index, a new lead refused first by the browser (a
 * required field) and then by the server (a validation rule, at its field), fixed and saved,
 * found in the list, edited in place, its history; then the same pages at 390 px (cards, one
 * column, no sideways scrolling). Screenshots go to test-results/screenshots/staff-*.png.
 *
 * `STAFF_E2E_BASE=http://127.0.0.1:<port>` reuses a runtime already running with the demo
 * password in `STAFF_E2E_PASSWORD` (for working on the test); otherwise one is started.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsoleIfStale } from '../../admin-ui/buildIfStale';
import { CHROMIUM, launchChromium } from '../../functions/local/consoleBrowser';
import { startLocalRuntime } from '../../functions/local/runtimeProcess';
import type { LocalRuntime } from '../../functions/local/runtimeProcess';
import { SHOTS, choose, fieldErrors, watchPage } from './harness';

const PASSWORD = process.env.STAFF_E2E_PASSWORD ?? 'e2e-staff-pass';
const REP = 'sales@demo.tessera.local';
const LEAD = `E2E Lead ${Date.now().toString(36)}`;

let runtime: LocalRuntime | undefined;
let browser: Browser | undefined;
let base = process.env.STAFF_E2E_BASE ?? '';

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `staff-${name}.png`), fullPage: true });
}

/** No sideways scrolling: the page is as wide as the phone. */
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

async function signIn(page: Page): Promise<void> {
  await page.goto(`${base}/login`);
  await page.locator('#login-email').fill(REP);
  await page.locator('#login-password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/app');
  await page.getByTestId('home-title').waitFor();
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  if (!base) {
    [, runtime] = await Promise.all([buildConsoleIfStale(), startLocalRuntime(PASSWORD)]);
    base = runtime.base;
  }
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

describe.skipIf(!existsSync(CHROMIUM))('staff app (Chromium)', () => {
  it('a sales rep filters leads, creates one past a browser and a server validation problem, finds it, edits it in place and sees its history', async () => {
    const page = await browser!.newPage({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
    const errors = watchPage(page, 'staff-failure');

    await signIn(page);
    await page.getByTestId('home-tasks').waitFor();
    await shot(page, '01-home');

    // Navigation from the objects the rep may read, in their language
    await page.getByTestId('nav-lead').click();
    await page.waitForURL('**/app/o/lead');
    await page.getByTestId('record-link').first().waitFor();
    // An object the rep may not read is not in the navigation (the service team's surveys).
    expect(await page.getByTestId('nav-satisfaction_survey').count()).toBe(0);
    await page.getByTestId('staff-language').getByText('简体中文').click();
    await page.getByTestId('list-title').getByText('销售线索').waitFor();
    await page.getByTestId('staff-language').getByText('English').click();
    await page.getByTestId('list-title').getByText('Leads').waitFor();

    // Filter: only fields an index serves are offered; the list is served by that index
    await page.getByTestId('add-filter').click();
    await choose(page, page.getByTestId('filter-field'), 'Status');
    await choose(page, page.getByTestId('filter-editor').getByTestId('input-status'), 'New');
    await page.getByTestId('apply-filter').click();
    await page.getByTestId('filter-chip-status').waitFor();
    await expect.poll(() => page.getByTestId('served-by').textContent()).toContain('index:by_status_follow_up');
    expect(page.url()).toContain('f=status.eq.new');
    await shot(page, '02-list-filtered');

    // A new lead: the browser refuses a missing name at the field, the server's rule refuses a lead nobody can reach at Mobile
    await page.getByTestId('new-record').click();
    await page.waitForURL('**/app/o/lead/new');
    await page.getByTestId('field-company').locator('input').fill('E2E Trading');
    await page.getByTestId('save-record').click();
    await expect.poll(() => fieldErrors(page, 'full_name')).toEqual(['full_name is required']);
    await page.getByTestId('field-full_name').locator('input').fill(LEAD);
    await expect.poll(() => fieldErrors(page, 'full_name')).toEqual([]);
    await page.getByTestId('save-record').click();
    await expect.poll(() => fieldErrors(page, 'mobile')).toEqual(['Give an email, a phone or a mobile number']);
    await shot(page, '03-create-problem-at-field');
    await page.getByTestId('field-email').locator('input').fill('e2e.lead@example.com');
    await page.getByTestId('save-record').click();
    await page.getByTestId('record-title').getByText(LEAD).waitFor();

    // Back in the filtered list (status defaults to New), the lead is there
    await page.goBack();
    await page.goBack();
    await page.waitForURL('**/app/o/lead?**');
    const row = page.getByTestId('record-table').locator('tr', { hasText: LEAD });
    await row.waitFor();

    // Inline edit: the company cell, saved with the row's version
    await row.getByTestId('cell-company').click();
    await page.getByTestId('inline-editor-company').locator('input').fill('E2E Trading Ltd');
    await page.getByTestId('inline-save').click();
    await row.getByTestId('cell-company').getByText('E2E Trading Ltd').waitFor();
    await shot(page, '04-list-inline-edit');

    // The record: its fields, and the history with the creation and the inline change
    await row.getByTestId('record-link').click();
    await page.getByTestId('record-title').getByText(LEAD).waitFor();
    await page.getByTestId('value-company').getByText('E2E Trading Ltd').waitFor();
    const history = page.getByTestId('record-history');
    await history.getByTestId('history-change').first().waitFor();
    await expect.poll(() => history.getByTestId('history-change').count()).toBe(2);
    expect(await history.getByTestId('history-change').first().textContent()).toContain('Company: E2E Trading → E2E Trading Ltd');
    await shot(page, '05-record-history');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('works at 390 px: cards instead of a table, one-column forms, a menu drawer, nothing wider than the phone', async () => {
    const page = await browser!.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-US', isMobile: true, hasTouch: true });
    const errors = watchPage(page, 'staff-mobile-failure');

    await signIn(page);
    await page.getByTestId('home-tasks').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'mobile-01-home');

    await page.getByTestId('nav-toggle').click();
    await page.getByTestId('nav-lead').click();
    await page.waitForURL('**/app/o/lead');
    await page.getByTestId('record-card').first().waitFor();
    expect(await page.getByTestId('record-table').count()).toBe(0);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'mobile-02-list-cards');

    await page.getByTestId('new-record').click();
    await page.getByTestId('record-form').waitFor();
    // One column: the name and the company are stacked, not side by side
    const name = await page.getByTestId('field-full_name').boundingBox();
    const company = await page.getByTestId('field-company').boundingBox();
    expect(company!.y).toBeGreaterThan(name!.y + name!.height - 1);
    expect(Math.abs(company!.x - name!.x)).toBeLessThan(2);
    expect(await fitsWidth(page)).toBe(true);
    await page.getByTestId('save-record').click();
    await expect.poll(() => fieldErrors(page, 'full_name')).toEqual(['full_name is required']);
    await shot(page, 'mobile-03-create');

    await page.goBack();
    await page.getByTestId('record-card').first().getByTestId('record-link').click();
    await page.getByTestId('record-title').waitFor();
    await page.getByTestId('record-history').getByTestId('history-change').first().waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'mobile-04-record');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});

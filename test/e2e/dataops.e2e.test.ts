/**
 * Data operations in the staff app, in a real Chromium against the local runtime: a sales rep
 * imports a CSV of leads with one bad row and one row that duplicates another row of the file —
 * sees both in the dry run, runs it, reads the error report, undoes it; then a sales manager
 * merges two duplicate accounts taking a field from the second, and the surviving account shows
 * that value and the contact that pointed at the merged one. At desktop width and at 390 px.
 * Screenshots go to test-results/screenshots/dataops-*.png.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { CHROMIUM, SHOTS, appears, clickInModal, consoleForFile, demoPassword, shot, signIn, watchPage } from './harness';

const PASSWORD = demoPassword('e2e-dataops-pass');
const REP = 'sales@demo.tessera.local';
const MANAGER = 'manager@demo.tessera.local';
const app = consoleForFile(PASSWORD);

async function call(path: string, token: string | null, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${app().base}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}
const login = async (email: string) => (await call('/auth/login', null, { method: 'POST', body: { tenant: 'demo', email, password: PASSWORD } })).body.token as string;

const signInAs = (page: Page, email: string) => signIn(page, app().base, email, PASSWORD, '**/app');

/** Duplicate rules for the demo tenant: a lead's e-mail blocks, an account's name warns. */
async function publishDuplicateRules() {
  const admin = await login('admin@demo.tessera.local');
  const { body } = await call('/api/metadata', admin);
  const { version: _v, publishedAt: _p, publishedBy: _b, ...bundle } = body;
  bundle.duplicateRules = [
    { name: 'lead_email', object: 'lead', action: 'block', conditions: [{ type: 'email', field: 'email' }] },
    { name: 'account_name', object: 'account', action: 'warn', conditions: [{ type: 'fuzzyName', field: 'name', threshold: 0.9 }] },
  ];
  expect((await call('/api/metadata/draft', admin, { method: 'PUT', body: bundle })).status).toBe(200);
  const published = await call('/api/metadata/publish', admin, { method: 'POST', body: {} });
  expect(published.status, JSON.stringify(published.body)).toBe(201);
}

beforeAll(async () => {
  if (existsSync(CHROMIUM)) await publishDuplicateRules();
}, 60_000);

const tag = Date.now().toString(36);
const csv = (suffix: string) =>
  [
    'Full name,Company,E-mail,Source,Status',
    `Imp Alpha ${suffix},Acme,alpha-${suffix}@e2e.test,Website,New`,
    `Imp Beta ${suffix},Beta Co,beta-${suffix}@e2e.test,Website,New`,
    `,Nameless Co,nameless-${suffix}@e2e.test,Website,New`,
    `Imp Alpha Again ${suffix},Acme,ALPHA-${suffix}@e2e.test,Website,New`,
  ].join('\n') + '\n';

async function importJourney(page: Page, name: string, suffix: string) {
  const file = join(SHOTS, `dataops-leads-${suffix}.csv`);
  writeFileSync(file, csv(suffix));
  await page.goto(`${app().base}/app/o/lead`);
  await page.getByTestId('import').click();
  await page.waitForURL('**/app/o/lead/import');
  await page.locator('input[type=file]').setInputFiles(file);
  // Mapping: the server's suggestions are filled in (English labels), nothing required is left out.
  await page.getByTestId('import-next').click();
  await shot(page, `dataops-${name}-options`);
  await page.getByTestId('import-dry-run').click();
  await page.getByTestId('dryRun-counts').waitFor();
  const problems = page.getByTestId('dry-run-rows');
  await expect.poll(() => problems.innerText()).toMatch(/Name: /);
  const text = await problems.innerText();
  expect(text).toMatch(/\b3\b[\s\S]*Name: .*required/);
  expect(text).toMatch(/\b4\b[\s\S]*E-mail: row 1 of this file matches/);
  expect(await page.getByTestId('count-create').innerText()).toContain('2');
  expect(await page.getByTestId('count-fail').innerText()).toContain('2');
  await shot(page, `dataops-${name}-dry-run`);

  await page.getByTestId('import-run').click();
  await page.getByTestId('run-counts').waitFor({ timeout: 20_000 });
  expect(await page.getByTestId('count-created').innerText()).toContain('2');
  expect(await page.getByTestId('count-failed').innerText()).toContain('2');
  // The error report: the failed rows as uploaded, with their problems.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-report').click()]);
  const report = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
  expect(report.split('\r\n')[0]).toBe('row,Full name,Company,E-mail,Source,Status,problems');
  expect(report).toContain(`nameless-${suffix}@e2e.test`);
  expect(report).toContain(`ALPHA-${suffix}@e2e.test`);
  await shot(page, `dataops-${name}-run`);

  // Undo, after a confirmation that says what goes.
  await page.getByTestId('import-undo').click();
  expect(await page.getByTestId('undo-confirm').innerText()).toMatch(/2 created records will be deleted and 0 updated/);
  await clickInModal(page.getByTestId('undo-ok'));
  // The outcome stays on the page after its toast has gone.
  expect(await (await appears(page, page.getByTestId('undo-result'))).innerText()).toMatch(/^Import undone: 2 deleted, 0 restored\.$/);
  await page.getByTestId('import-history-tab').click();
  await page.getByTestId('import-status').first().getByText('Undone').waitFor();
}

async function mergeJourney(page: Page, name: string, suffix: string) {
  const token = await login(MANAGER);
  const first = (await call('/api/objects/account/records', token, { method: 'POST', body: { name: `Mergeco ${suffix}`, website: 'https://first.example' } })).body;
  const second = (await call('/api/objects/account/records', token, { method: 'POST', body: { name: `Mergeco ${suffix} Ltd`, website: 'https://second.example' } })).body;
  expect(second._duplicates?.[0]?.id).toBe(first.id);
  const contact = (await call('/api/objects/contact/records', token, { method: 'POST', body: { full_name: `Contact of ${suffix}`, account: second.id } })).body;
  expect(contact.id).toBeTruthy();

  await page.goto(`${app().base}/app/o/account/duplicates`);
  const group = page.getByTestId('duplicate-group').filter({ hasText: `Mergeco ${suffix}` });
  await group.waitFor();
  await shot(page, `dataops-${name}-duplicates`);
  await group.getByRole('button').first().click();
  await page.waitForURL('**/app/o/account/merge?ids=*');
  await page.getByTestId('merge-table').waitFor();
  // The master is the first record; the website comes from the second.
  const ids = new URL(page.url()).searchParams.get('ids')!.split(',');
  const secondIndex = ids.indexOf(second.id);
  await page.getByTestId(`master-${ids.indexOf(first.id)}`).click();
  await page.getByTestId(`pick-website-${secondIndex}`).click();
  // Lookups without an index (lead.converted_account, …) are named; the merge goes on without them.
  await page.getByTestId('merge-skip-unindexed').click();
  await expect.poll(() => page.getByTestId('merge-repointed').innerText()).toMatch(/[1-9]\d* × Contacts \(Account\)/);
  await shot(page, `dataops-${name}-merge`);
  await page.getByTestId('merge-submit').click();
  await clickInModal(page.getByTestId('merge-ok'));
  await page.waitForURL(`**/app/o/account/${first.id}`);
  await page.getByTestId('value-website').getByText('https://second.example').waitFor();
  await page.getByTestId('related-lists').getByText(`Contact of ${suffix}`).waitFor();
  await shot(page, `dataops-${name}-survivor`);
}

describe.skipIf(!existsSync(CHROMIUM))('data operations in the staff app (Chromium)', () => {
  it.each([
    { name: 'desktop', viewport: { width: 1366, height: 900 }, mobile: false },
    { name: 'phone', viewport: { width: 390, height: 844 }, mobile: true },
  ])('at $name width: a rep imports leads past a bad row and an in-file duplicate and undoes it; a manager merges two accounts', async ({ name, viewport, mobile }) => {
    const context = await app().browser.newContext({ viewport, locale: 'en-US', isMobile: mobile, hasTouch: mobile, acceptDownloads: true });
    const page = await context.newPage();
    const errors = watchPage(page, `dataops-${name}-failure`);
    await signInAs(page, REP);
    await importJourney(page, name, `${tag}${name[0]}`);
    await context.clearCookies();
    await page.evaluate(() => sessionStorage.clear());
    await signInAs(page, MANAGER);
    await mergeJourney(page, name, `${tag}${name[0]}`);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});

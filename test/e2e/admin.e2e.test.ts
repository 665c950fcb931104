/**
 * The admin console in a real Chromium against the local runtime: sign in, switch language,
 * build a custom object with five field types (a problem shown at its option first), validate,
 * publish, find it in the version history, then use it through the API. Screenshots of each
 * screen go to test-results/screenshots/.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { buildConsoleIfStale } from '../../admin-ui/buildIfStale';
import { freePort } from '../../functions/local/dynamoLocal';

const ROOT = resolve(import.meta.dirname, '../..');
const SHOTS = resolve(ROOT, 'test-results/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PASSWORD = 'e2e-admin-pass';
const ADMIN = 'admin@demo.tessera.local';

let server: ChildProcess | undefined;
let browser: Browser | undefined;
let base = '';

async function startRuntime(): Promise<void> {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ['--import', 'tsx', 'functions/local/start.ts', '--memory'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), TESSERA_DEMO_PASSWORD: PASSWORD, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  server.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  server.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!out.includes('Ctrl-C stops everything')) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the local runtime did not come up:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(out).toContain(`Admin console   ${base}/`);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * Picks an option of the antd Select whose root carries `testId`: types to filter, then takes
 * the visible option. Typing first matters under load: a dropdown still animating shut from the
 * previous pick would otherwise take the click.
 */
async function choose(page: Page, testId: string, option: string, search = option): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(search);
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option:visible', { hasText: option }).first().click();
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await Promise.all([buildConsoleIfStale(), startRuntime()]);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Playwright gives every launch a fresh temporary profile (it refuses --user-data-dir).
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGINT');
    await exited;
  }
});

describe.skipIf(!existsSync(CHROMIUM))('admin console (Chromium)', () => {
  it('builds a custom object with five field types, publishes it, and the API serves records of it', async () => {
    const page = await browser!.newPage({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    onTestFailed(() => shot(page, 'failure'));

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
    const addField = async (type: string, label: string, name: string) => {
      await choose(page, 'add-field', type);
      await page.getByTestId(`field-row-${fieldCount++}`).waitFor();
      await expect.poll(() => page.getByTestId('field-type').textContent()).toBe(type);
      await page.getByTestId('field-label-en').fill(label);
      await page.getByTestId('field-name').fill(name);
    };
    await addField('Number', 'Score', 'score');
    await addField('Picklist', 'Status', 'status');
    await page.getByTestId('add-option').click();
    await page.getByTestId('add-option').click();
    await page.getByTestId('option-0').getByTestId('option-value').fill('open');
    await page.getByTestId('option-0').getByTestId('option-label-en').fill('Open');
    await page.getByTestId('option-1').getByTestId('option-label-en').fill('Closed');
    await addField('Date', 'Inspected on', 'inspected_on');
    await addField('Lookup', 'Account', 'account');
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
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText(/Published version \d+/).waitFor();
    const published = Number(/Published v(\d+)/.exec((await page.getByTestId('draft-state').textContent()) ?? '')?.[1]);
    expect(published).toBeGreaterThan(1);

    // Version history and its diff
    await page.getByRole('menuitem', { name: 'Versions' }).click();
    await page.getByTestId(`version-${published}`).waitFor();
    await page.getByTestId('diff').getByText('/objects/site_inspection', { exact: true }).waitFor();
    await shot(page, '06-versions');

    // The other screens render
    await page.getByRole('menuitem', { name: 'Templates' }).click();
    await page.getByTestId('template-crm-core').waitFor();
    await shot(page, '07-templates');
    await page.getByRole('menuitem', { name: 'Users' }).click();
    await page.getByRole('cell', { name: ADMIN }).waitFor();
    await shot(page, '08-users');

    // The API screen: the reference from the caller's own document knows the object just published,
    // and a new integration key is shown once and works at once.
    await page.getByRole('menuitem', { name: 'API' }).click();
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
    await page.locator('.ant-modal-footer').getByRole('button', { name: 'New API key' }).click();
    const issued = (await page.getByTestId('issued-key').textContent()) ?? '';
    expect(issued).toMatch(/^tsk_demo_/);
    await shot(page, '10-api-key');
    const asKey = await (await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${issued}` } })).json();
    expect(asKey).toMatchObject({ tenantId: 'demo', roles: ['sales_rep'] });

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
    expect(errors).toEqual([]);
  }, 60_000);
});

/**
 * What a console journey in Chromium needs: the local runtime (`npm start --memory` on a free
 * port, the console built if stale), a browser from the distribution's package, screenshots,
 * and picking antd options by typing.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Locator, Page } from 'playwright-core';
import { buildConsoleIfStale } from '../../admin-ui/buildIfStale';
import { freePort } from '../../functions/local/dynamoLocal';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SHOTS = resolve(ROOT, 'test-results/screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The demo password of the runtime the journey signs in to. */
export const demoPassword = (own: string) => process.env.TESSERA_E2E_PASSWORD ?? own;


export interface Console {
  readonly base: string;
  readonly browser: Browser;
  /** What the runtime printed so far; empty for a runtime started elsewhere (`TESSERA_E2E_BASE`). */
  output(): string;
  stop(): Promise<void>;
}

async function startRuntime(password: string): Promise<{ base: string; server: ChildProcess; output: () => string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['--import', 'tsx', 'functions/local/start.ts', '--memory'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), TESSERA_DEMO_PASSWORD: password, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  server.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  server.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  // ~10 s on an idle machine; the ceiling is for a loaded one (DynamoDB Local's JVM, tsx, the demo seed).
  const deadline = Date.now() + 150_000;
  while (!out.includes('Ctrl-C stops everything')) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the local runtime did not come up:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { base, server, output: () => out };
}

/**
 * Builds the console if stale, starts the runtime and Chromium. With `TESSERA_E2E_BASE` set, a
 * runtime already running there is used instead (its demo password in `TESSERA_E2E_PASSWORD`).
 */
export async function startConsole(password: string): Promise<Console> {
  mkdirSync(SHOTS, { recursive: true });
  const external = process.env.TESSERA_E2E_BASE;
  const [, { base, server, output }] = await Promise.all([buildConsoleIfStale(), external ? { base: external, server: null, output: () => '' } : startRuntime(password)]);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Playwright gives every launch a fresh temporary profile (it refuses --user-data-dir).
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    base,
    browser,
    output,
    async stop() {
      await browser.close();
      if (server && server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGINT');
        await exited;
      }
    },
  };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * Picks an option of the antd Select whose root carries `testId` (or the Select `testId` locates):
 * types to filter, then takes the visible option. Typing first matters under load: a dropdown
 * still animating shut from the previous pick would otherwise take the click.
 */
export async function choose(page: Page, testId: string | Locator, option: string | RegExp, search = typeof option === 'string' ? option : ''): Promise<void> {
  await (typeof testId === 'string' ? page.getByTestId(testId) : testId).click();
  if (search) await page.keyboard.type(search);
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option:visible', { hasText: option }).first().click();
}

/** Signs in and waits for the landing page: the console's objects for administrators (the default), `/app` for staff. */
export async function signIn(page: Page, base: string, email: string, password: string, landing = '**/objects'): Promise<void> {
  await page.goto(`${base}/login`);
  await page.locator('#login-email').fill(email);
  await page.locator('#login-password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(landing);
}

/** Resolves after the page has painted twice: React has rendered what the last events changed. */
const settled = (page: Page) => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

/** Whether dnd-kit shows `target`, or a drop target inside it, as under the pointer (`data-over`). */
const over = (target: Locator) => target.evaluate((el) => el.matches('[data-over="true"]') || el.querySelector('[data-over="true"]') !== null);

/** Moves the pointer back and forth by a pixel at `at` until `done`, letting the page render between moves. */
async function nudgeUntil(page: Page, at: { x: number; y: number }, done: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await settled(page);
    if (await done()) return;
    await page.mouse.move(at.x + (i % 2), at.y);
  }
  throw new Error(`drag: ${what}`);
}

/**
 * Drags `source` from `start` to `end` with the mouse and drops it on `target`, as a person
 * would, waiting for what the page shows rather than for time: dnd-kit starts a drag only after
 * the pointer has moved a few pixels with the button down (the source then says `aria-pressed`),
 * and drops on the target it last rendered as under the pointer (`data-over`), so on a busy
 * machine the button is let go only once the page shows both.
 */
export async function dragAlong(page: Page, source: Locator, start: { x: number; y: number }, end: { x: number; y: number }, target: Locator): Promise<void> {
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  const moved = { x: start.x + (end.x >= start.x ? 8 : -8), y: start.y + 8 };
  await page.mouse.move(moved.x, moved.y, { steps: 3 });
  await nudgeUntil(page, moved, async () => (await source.getAttribute('aria-pressed')) === 'true', 'the drag did not start');
  await page.mouse.move(end.x, end.y, { steps: 12 });
  await nudgeUntil(page, end, () => over(target), 'the target never showed as under the pointer');
  await page.mouse.up();
}

/** Drags `source` onto the lower left of `target` (below what a drop zone already holds). */
export async function drag(page: Page, source: Locator, target: Locator): Promise<void> {
  const from = (await source.boundingBox())!;
  const to = (await target.boundingBox())!;
  await dragAlong(page, source, { x: from.x + 10, y: from.y + 5 }, { x: to.x + Math.min(30, to.width / 2), y: to.y + to.height - 12 }, target);
}

/** The messages a staff form shows under a field. */
export const fieldErrors = (page: Page, field: string) => page.getByTestId(`field-${field}`).locator('.ant-form-item-explain-error').allTextContents();

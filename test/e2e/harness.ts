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

/**
 * Drags `source` onto `target` with the mouse, as a person would: dnd-kit starts a drag only
 * after the pointer has moved a few pixels with the button down, and drops on the target it last
 * rendered as under the pointer, so the move goes in steps, ends inside the target, and lets the
 * page render before letting go (on a busy machine a quick release drops where the pointer was
 * a few events earlier).
 */
export async function drag(page: Page, source: Locator, target: Locator): Promise<void> {
  const from = (await source.boundingBox())!;
  const to = (await target.boundingBox())!;
  const x = to.x + Math.min(30, to.width / 2);
  const y = to.y + to.height - 12;
  await page.mouse.move(from.x + 10, from.y + 5);
  await page.mouse.down();
  await page.mouse.move(from.x + 20, from.y + 15, { steps: 5 });
  await settled(page);
  await page.mouse.move(x, y, { steps: 10 });
  await settled(page);
  await page.mouse.move(x + 1, y);
  await settled(page);
  await page.mouse.up();
}

/** The messages a staff form shows under a field. */
export const fieldErrors = (page: Page, field: string) => page.getByTestId(`field-${field}`).locator('.ant-form-item-explain-error').allTextContents();

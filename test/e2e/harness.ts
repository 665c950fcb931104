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
import type { Browser, Page } from 'playwright-core';
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
  stop(): Promise<void>;
}

async function startRuntime(password: string): Promise<{ base: string; server: ChildProcess }> {
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
  const deadline = Date.now() + 90_000;
  while (!out.includes('Ctrl-C stops everything')) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the local runtime did not come up:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { base, server };
}

/**
 * Builds the console if stale, starts the runtime and Chromium. With `TESSERA_E2E_BASE` set, a
 * runtime already running there is used instead (its demo password in `TESSERA_E2E_PASSWORD`).
 */
export async function startConsole(password: string): Promise<Console> {
  mkdirSync(SHOTS, { recursive: true });
  const external = process.env.TESSERA_E2E_BASE;
  const [, { base, server }] = await Promise.all([buildConsoleIfStale(), external ? { base: external, server: null } : startRuntime(password)]);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    base,
    browser,
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

/** Picks an option of the antd Select whose root carries `testId`: types to filter, then takes the visible option. */
export async function choose(page: Page, testId: string, option: string | RegExp, search = typeof option === 'string' ? option : ''): Promise<void> {
  await page.getByTestId(testId).click();
  if (search) await page.keyboard.type(search);
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option:visible', { hasText: option }).first().click();
}

export async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.locator('#login-email').fill(email);
  await page.locator('#login-password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/objects');
}

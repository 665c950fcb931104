/**
 * The built console in Chromium against a local runtime: what the browser journeys (test/e2e)
 * and the form benchmark (bench/formRender.ts) both start from. Playwright cannot download
 * browsers here: the distribution's Chromium (`CHROMIUM_PATH`, default /usr/bin/chromium), with
 * the flags that work as root in the sandbox (see TOOLCHAIN.md).
 */
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { buildConsoleIfStale } from '../../admin-ui/buildIfStale';
import { startLocalRuntime } from './runtimeProcess';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, no sandbox (root), and no background networking: without it Chromium floods the closed network. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Chromium from the distribution, headless. Playwright gives every launch a fresh temporary profile (it refuses --user-data-dir). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface Console {
  readonly base: string;
  readonly browser: Browser;
  /** What the runtime printed so far; empty for a runtime started elsewhere (`TESSERA_E2E_BASE`). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Builds the console if stale, starts the runtime and Chromium. With `TESSERA_E2E_BASE` set, a
 * runtime already running there is used instead (its demo password in `TESSERA_E2E_PASSWORD`).
 */
export async function startConsole(password: string): Promise<Console> {
  const external = process.env.TESSERA_E2E_BASE;
  const [, runtime] = await Promise.all([buildConsoleIfStale(), external ? null : startLocalRuntime(password)]);
  const browser = await launchChromium().catch(async (error: unknown) => {
    await runtime?.stop();
    throw error;
  });
  return {
    base: external ?? runtime!.base,
    browser,
    output: () => runtime?.output() ?? '',
    async stop() {
      await browser.close();
      await runtime?.stop();
    },
  };
}

/** Signs in and waits for the landing page: the console's objects for administrators (the default), `/app` for staff. */
export async function signIn(page: Page, base: string, email: string, password: string, landing = '**/objects'): Promise<void> {
  await page.goto(`${base}/login`);
  await page.locator('#login-email').fill(email);
  await page.locator('#login-password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(landing);
}

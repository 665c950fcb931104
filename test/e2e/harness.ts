/**
 * What a console journey in Chromium needs beyond starting it (functions/local/consoleBrowser.ts,
 * shared with the form benchmark): screenshots, picking antd options by typing, dragging, and
 * reading a form's messages.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, onTestFailed } from 'vitest';
import { CHROMIUM, startConsole as startConsoleBrowser } from '../../functions/local/consoleBrowser';
import type { Console } from '../../functions/local/consoleBrowser';

export { CHROMIUM, signIn } from '../../functions/local/consoleBrowser';
export type { Console } from '../../functions/local/consoleBrowser';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SHOTS = resolve(ROOT, 'test-results/screenshots');
/** The demo password of the runtime the journey signs in to. */
export const demoPassword = (own: string) => process.env.TESSERA_E2E_PASSWORD ?? own;

/** The console in Chromium against a fresh local runtime (or `TESSERA_E2E_BASE`), with the screenshots folder ready. */
export async function startConsole(password: string): Promise<Console> {
  mkdirSync(SHOTS, { recursive: true });
  return startConsoleBrowser(password);
}

/**
 * The console for the tests of this file: started before them when Chromium is here, stopped
 * after them. Call at the top of the file; the tests read the console through the answer.
 */
export function consoleForFile(password: string): () => Console {
  let app: Console | undefined;
  beforeAll(async () => {
    if (existsSync(CHROMIUM)) app = await startConsole(password);
  }, 240_000);
  afterAll(async () => {
    await app?.stop();
  });
  return () => {
    if (!app) throw new Error('the console has not started');
    return app;
  };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Collects the page's uncaught errors into `errors` (answered); if the test fails, a screenshot `name` is kept. */
export function watchPage(page: Page, name: string, errors: string[] = []): string[] {
  page.on('pageerror', (e) => errors.push(e.message));
  onTestFailed(() => shot(page, name));
  return errors;
}

/**
 * Publishes the draft from the console's draft bar and waits for THIS publish: the bar's state
 * shows the next version. (A toast "Published version n" can still be on screen from the
 * publish before, so it proves nothing.) Answers the version published.
 */
export async function publish(page: Page, button: string | RegExp = 'Publish'): Promise<number> {
  const state = page.getByTestId('draft-state');
  const version = async () => Number(/v(\d+)/.exec((await state.textContent()) ?? '')?.[1] ?? NaN);
  const base = await version();
  await page.getByTestId('draft-bar').getByRole('button', { name: button }).click();
  await expect.poll(async () => ((await state.textContent()) ?? '').trim()).toMatch(new RegExp(`^(Published|已发布) v${base + 1}$`));
  return base + 1;
}

/**
 * Clicks a button of an antd modal once the modal has finished opening, then waits for the modal
 * to close. On a busy machine a click sent during the opening zoom can land beside the button
 * that is still growing, and the modal stays open.
 */
export async function clickInModal(button: Locator): Promise<void> {
  const modal = button.locator('xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " ant-modal ")][1]');
  await expect.poll(async () => (await modal.getAttribute('class')) ?? '').not.toMatch(/\bant-zoom-/);
  await button.click();
  await appears(button.page(), modal, 30_000, 'hidden');
}

/** What the page is telling its user right now: toasts, notifications, alerts and form errors that are visible. */
export async function pageMessages(page: Page): Promise<string[]> {
  const notes = page.locator('.ant-message-notice, .ant-notification-notice, .ant-alert, .ant-form-item-explain-error, .ant-modal-confirm-content');
  const texts: string[] = [];
  for (const note of await notes.all()) if (await note.isVisible()) texts.push(((await note.textContent()) ?? '').trim());
  return texts.filter(Boolean);
}

/**
 * Waits for `locator` to show (or, with `state` hidden, to go); when it does not, the failure says what the page showed instead
 * (an error toast, a form error) rather than only that the wait timed out.
 */
export async function appears(page: Page, locator: Locator, timeout = 30_000, state: 'visible' | 'hidden' = 'visible'): Promise<Locator> {
  try {
    await locator.waitFor({ timeout, state });
    return locator;
  } catch (error) {
    const notes = await pageMessages(page).catch(() => []);
    throw new Error(`${(error as Error).message.split('\n')[0]}\nThe page showed: ${notes.length ? notes.map((n) => `“${n}”`).join(', ') : 'no message'}`, { cause: error });
  }
}

/**
 * The dropdown of an open antd Select: the one holding the list its input controls
 * (`aria-controls`, set once the select has opened). Never another select's dropdown: on a busy
 * machine the previous one can sit in its closing animation for many seconds, its options still
 * on the page but never stable enough to click.
 */
async function dropdownOf(page: Page, select: Locator): Promise<Locator> {
  const input = select.locator('input[aria-controls]').first();
  await input.waitFor({ state: 'attached' });
  const list = await input.getAttribute('aria-controls');
  return page.locator(`.ant-select-dropdown:has([id="${list}"])`);
}

const selectOf = (page: Page, testId: string | Locator) => (typeof testId === 'string' ? page.getByTestId(testId) : testId);

/**
 * Picks an option of the antd Select whose root carries `testId` (or the Select `testId` locates):
 * opens it, types to filter, then takes the visible option of its own dropdown.
 */
export async function choose(page: Page, testId: string | Locator, option: string | RegExp, search = typeof option === 'string' ? option : ''): Promise<void> {
  const select = selectOf(page, testId);
  await select.click();
  if (search) await page.keyboard.type(search);
  await (await dropdownOf(page, select)).locator('.ant-select-item-option:visible', { hasText: option }).first().click();
}

/** The visible options of an open antd Select (its own dropdown's, see dropdownOf), once it shows one. */
export async function optionsOf(page: Page, testId: string | Locator): Promise<Locator> {
  const options = (await dropdownOf(page, selectOf(page, testId))).locator('.ant-select-item-option:visible');
  await options.first().waitFor();
  return options;
}

/**
 * Opens a console section from the header menu. An entry the bar has no room for at this width
 * sits in the menu's "···" overflow, as a person would find it: hover it, then click the entry.
 */
export async function openSection(page: Page, name: string | RegExp): Promise<void> {
  const bar = page.locator('.ant-layout-header .ant-menu-horizontal').first();
  await bar.waitFor();
  // A toast ("Saved to the draft") sits over the middle of the bar for a few seconds: wait it out.
  await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
  const exact = typeof name === 'string' ? new RegExp(`^\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) : name;
  const item = bar.locator('.ant-menu-overflow-item:not(.ant-menu-overflow-item-rest)').filter({ hasText: exact }).first();
  if (await item.isVisible()) {
    await item.click();
    return;
  }
  await bar.locator('.ant-menu-overflow-item-rest').hover();
  await page.locator('.ant-menu-submenu-popup:not(.ant-menu-submenu-hidden)').getByRole('menuitem', { name: exact }).click();
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

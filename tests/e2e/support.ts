/// <reference types="node" />
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

export const DEMO_PASSWORD = 'Fengqiao@2026';
export const SCREENS = '.tmp/screens';

/** Debian's Chromium, headless: no browser is downloaded, and nothing of it reaches past loopback. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export function baseURL(): string {
  return inject('baseURL');
}

export async function newContext(browser: Browser, opts: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: baseURL(),
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 860 },
    // the console honours the system's reduced-motion setting: drop-downs and drawers appear without animation
    reducedMotion: 'reduce',
    ...opts,
  });
  context.setDefaultTimeout(20_000);
  return context;
}

/** Fills the sign-in form and submits it; the caller decides what success looks like. */
export async function submitLogin(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Waits until the page shows what a person would see: no page still loading, no spinner, quiet network. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await expect.poll(() => page.locator('.fq-loading, .ant-spin-spinning').count(), { timeout: 20_000 }).toBe(0);
  await page.waitForLoadState('networkidle');
}

/** Signs in and waits for the console's shell (the user menu in the header) and its first page. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await submitLogin(page, username, password);
  await page.getByTestId('user-menu').waitFor({ state: 'visible' });
  expect(new URL(page.url()).pathname).not.toBe('/login');
  await settle(page);
}

/** Opens every collapsed group of the side menu, so that all the pages it offers are shown. */
export async function expandSideMenu(page: Page): Promise<void> {
  const menu = page.getByTestId('side-menu');
  await menu.waitFor({ state: 'visible' });
  for (let i = 0; i < 10; i++) {
    const closed = menu.locator('li.ant-menu-submenu:not(.ant-menu-submenu-open) > .ant-menu-submenu-title');
    if ((await closed.count()) === 0) break;
    await closed.first().click();
  }
  // each opened group shows its items once its opening motion is over
  await expect.poll(() => menu.locator('li.ant-menu-submenu-open ul.ant-menu-sub:visible').count()).toBe(
    await menu.locator('li.ant-menu-submenu-open').count(),
  );
}

/** The side menu's visible text: one entry per line. */
export async function sideMenuText(page: Page): Promise<string> {
  return page.getByTestId('side-menu').innerText();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await settle(page);
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: `${SCREENS}/e2e-${name}.png`, fullPage: false });
}

/**
 * Clicks until what the click should cause has happened: a click that lands while an opening motion or a
 * re-render of the page below moves its target is lost, and a person would simply click again. `done` waits
 * (briefly) for the effect and says whether it came.
 */
export async function clickUntil(target: Locator, done: () => Promise<boolean>, attempts = 4): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    await target.click({ timeout: 5_000 }).catch(() => undefined);
    if (await done()) return;
  }
  throw new Error(`clicking ${String(target)} ${attempts} times did not have its effect`);
}

/** Resolves true once the page's URL matches, false after `ms`. */
export const urlBecomes = (page: Page, pattern: string | RegExp, ms = 5_000) => () =>
  page.waitForURL(pattern, { timeout: ms }).then(
    () => true,
    () => false,
  );

/** Resolves true once the element is visible, false after `ms`. */
export const shows = (target: Locator, ms = 5_000) => () =>
  target.waitFor({ state: 'visible', timeout: ms }).then(
    () => true,
    () => false,
  );

/**
 * Chooses the drop-down option showing `label` of the open antd select `select` and waits until the select shows
 * it and its drop-down has closed. A click lost while the list is still being laid out is repeated.
 */
export async function chooseOpenOption(page: Page, select: Locator, label: string): Promise<void> {
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option:not(.ant-select-item-option-disabled)').filter({ hasText: label }).first();
  await option.waitFor({ state: 'visible' });
  await clickUntil(option, shows(select.filter({ hasText: label }), 3_000));
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count(), { timeout: 10_000 }).toBe(0);
}

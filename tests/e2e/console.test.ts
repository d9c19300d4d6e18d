import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expandSideMenu, launchBrowser, newContext, screenshot, sideMenuText, signIn, submitLogin } from './support.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('staff console: sign-in and menus by role', () => {
  it('admin sees user management, the organisation and the audit log', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    try {
      await signIn(page, 'admin');
      await expandSideMenu(page);
      const menu = await sideMenuText(page);
      expect(menu).toContain('用户管理');
      expect(menu).toContain('组织机构');
      expect(menu).toContain('审计日志');
      await expect.poll(() => page.getByTestId('user-menu').innerText()).toContain('高志强');
      await screenshot(page, 'admin-menu');
    } finally {
      await context.close();
    }
  });

  it('a grid worker sees neither user management nor the audit log', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    try {
      await signIn(page, 'gridworker');
      await expandSideMenu(page);
      const menu = await sideMenuText(page);
      expect(menu).not.toContain('用户管理');
      expect(menu).not.toContain('审计日志');
      expect(menu).toContain('工作台');
      await screenshot(page, 'gridworker-menu');
    } finally {
      await context.close();
    }
  });

  it('a wrong password shows the server message and stays on the sign-in page', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    try {
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login') && r.request().method() === 'POST');
      await submitLogin(page, 'officer', 'not-the-password-1');
      const res = await answered;
      expect(res.status()).toBe(401);
      const problem = (await res.json()) as { code: string; title: string; detail: string };
      expect(problem.code).toBe('invalid_credentials');
      expect(problem.title).toBe('用户名或密码错误');
      // the server's Chinese message is what the user reads, in an error alert on the sign-in card
      const alert = page.locator('.ant-alert-error');
      await alert.first().waitFor({ state: 'visible' });
      const shown = await alert.first().innerText();
      expect(shown).toContain(problem.title);
      expect(shown).toContain(problem.detail); // how many tries are left before the lock-out
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await page.getByTestId('login-submit').isVisible()).toBe(true);
      expect(await page.getByTestId('user-menu').count()).toBe(0);
      await screenshot(page, 'wrong-password');
    } finally {
      await context.close();
    }
  });

  it('signing out returns to the sign-in page', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    try {
      await signIn(page, 'leader');
      // the menu opens with an animation and may close again while the page below it settles; a click that
      // lands while it moves, or after it closed, is lost, so the menu is opened again (a short wait per try)
      // until the sign-out request goes out
      for (let attempt = 0; attempt < 5; attempt++) {
        const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/auth/logout'), { timeout: 5_000 }).then(
          () => true,
          () => false,
        );
        await page.getByTestId('user-menu').click();
        const clicked = await page
          .locator('.ant-dropdown:not(.ant-dropdown-hidden)')
          .getByTestId('logout')
          .click({ timeout: 3_000 })
          .then(
            () => true,
            () => false,
          );
        if (clicked && (await sent)) break;
        await page.keyboard.press('Escape');
      }
      await page.getByTestId('login-submit').waitFor({ state: 'visible' });
      expect(new URL(page.url()).pathname).toBe('/login');
      // the session is gone on the server too: the console does not come back on reload
      await page.goto('/dashboard');
      await page.getByTestId('login-submit').waitFor({ state: 'visible' });
    } finally {
      await context.close();
    }
  });
});

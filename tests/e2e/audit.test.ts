import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { clickUntil, expandSideMenu, launchBrowser, newContext, screenshot, signIn, urlBecomes } from './support.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('audit log page', () => {
  it('a supervisor opens the audit log from the menu and sees the sign-in rows', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    try {
      await signIn(page, 'supervisor');
      await expandSideMenu(page);
      await clickUntil(page.getByTestId('side-menu').getByText('审计日志', { exact: true }), urlBecomes(page, '**/system/audit'));
      const rows = page.getByTestId('audit-table').locator('tbody tr.ant-table-row');
      await expect.poll(() => rows.count()).toBeGreaterThan(0);
      const table = await page.getByTestId('audit-table').innerText();
      expect(table).toContain('auth.login');
      expect(table).toContain('supervisor'); // the supervisor's own sign-in is recorded
      await screenshot(page, 'supervisor-audit');
    } finally {
      await context.close();
    }
  });
});

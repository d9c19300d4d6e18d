import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseURL, clickUntil, launchBrowser, newContext, screenshot, settle, shows, signIn } from './support.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const TITLE = `端到端红色预警 ${Date.now().toString(36)}`;

async function open(page: Page, path: string) {
  await page.goto(`${baseURL()}${path}`);
  await settle(page);
}

describe('情指行: a red directive from the command centre, signed and reported by a station', () => {
  it('issue → the station signs for it and reports back → the command centre sees a 100 % feedback rate', async () => {
    const cmdCtx = await newContext(browser);
    const stationCtx = await newContext(browser);
    const cmd = await cmdCtx.newPage();
    const chief = await stationCtx.newPage();
    try {
      // the command centre issues a red directive to 彭李派出所
      await signIn(cmd, 'command');
      await open(cmd, '/command/directives');
      await cmd.getByTestId('issue-open').click();
      const drawer = cmd.getByTestId('issue-drawer');
      await drawer.getByTestId('issue-level').getByText('红色预警').click();
      await drawer.getByTestId('issue-title').fill(TITLE);
      await drawer.getByTestId('issue-content').fill('彭李街道辖区近期入户盗窃警情明显上升，请加强夜间巡逻。');
      await drawer.getByTestId('issue-actions').fill('一、今晚20时起在学苑社区开展专项巡逻；二、排查出租屋；三、落实后反馈。');
      await drawer.getByRole('button', { name: '2 小时后' }).click();
      await drawer.getByTestId('issue-units').click();
      const station = cmd.locator('.ant-select-tree-title', { hasText: /^彭李派出所$/ }).first();
      await station.waitFor({ state: 'visible' });
      await clickUntil(station, shows(drawer.getByTestId('issue-units').filter({ hasText: '彭李派出所' }), 5_000));
      await drawer.getByTestId('issue-title').click(); // closes the tree's dropdown
      const issued = cmd.waitForResponse((r) => r.url().endsWith('/api/v1/directives') && r.request().method() === 'POST');
      await cmd.getByRole('button', { name: /^下\s?发$/ }).click(); // antd spaces two-character labels
      const res = await issued;
      expect(res.status()).toBe(201);
      const directive = (await res.json()) as { id: string; code: string };
      await screenshot(cmd, 'command-directive-issued');

      // the station chief finds it in the unit's inbox, signs for it and reports back
      await signIn(chief, 'chief');
      await open(chief, '/command/directive-inbox');
      const card = chief.getByTestId('inbox-card').filter({ hasText: TITLE });
      await card.waitFor({ state: 'visible' });
      await expect.poll(() => card.locator('[data-testid="level-red"]').count()).toBe(1);
      const signed = chief.waitForResponse((r) => r.url().includes('/sign') && r.request().method() === 'POST');
      await card.getByTestId('target-sign').click();
      expect((await signed).status()).toBe(200);
      await card.getByTestId('target-report').click();
      await chief.getByTestId('text-modal-input').fill('已于20时组织专项巡逻，排查出租屋42户，未发现异常。');
      const reported = chief.waitForResponse((r) => r.url().includes('/report') && r.request().method() === 'POST');
      await chief.locator('.ant-modal-footer .ant-btn-primary').click();
      expect((await reported).status()).toBe(200);
      await screenshot(chief, 'chief-directive-reported');

      // the command centre sees 100 % for the directive, and its sign-off and feedback in the detail
      await open(cmd, `/command/directives/${directive.id}`);
      await expect.poll(() => cmd.getByTestId('detail-feedback-rate').innerText(), { timeout: 10_000 }).toContain('100');
      await expect.poll(() => cmd.locator('body').innerText()).toContain('未发现异常');
      await screenshot(cmd, 'command-directive-100');
    } finally {
      await cmdCtx.close();
      await stationCtx.close();
    }
  });
});

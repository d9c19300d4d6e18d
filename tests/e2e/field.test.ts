import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseURL, chooseOpenOption, clickUntil, DEMO_PASSWORD, launchBrowser, newContext, screenshot, settle, shows, signIn } from './support.js';

/**
 * The field app as a grid worker meets it on a phone: a plate URL opens the address's record in the app; the
 * phone goes offline; the worker records a lonely elderly resident (routed to 区民政局) and a new resident (a change
 * for the officer); both wait on the phone, and go when it is back online. The community officer applies the
 * change in the console, and 区民政局 closes the routed item with feedback, which the worker then sees.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const POLL = { timeout: 20_000 };
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

function identityNumber(): string {
  const body = `371602199${Math.floor(Math.random() * 10)}0${1 + Math.floor(Math.random() * 9)}${String(10 + Math.floor(Math.random() * 18))}${String(Math.floor(Math.random() * 900) + 100)}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * ID_WEIGHTS[i];
  return body + '10X98765432'[sum % 11];
}

async function api<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseURL()}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
const staffToken = async (username: string) => (await api<{ token: string }>('POST', '/api/v1/auth/login', undefined, { username, password: DEMO_PASSWORD })).token;

const box = (page: Page, testId: string) => page.locator(`[data-testid="${testId}"] input, [data-testid="${testId}"] textarea`).first();
const field = (page: Page, path: string) => page.getByTestId(`field-${path}`);

interface PackLite {
  addresses: Array<{ id: string; level: string; fullText: string; plateTokens: string[] }>;
  records: Record<string, { residents: unknown[] }>;
}

describe('field app', () => {
  it('serves its worker and manifest, and the plate page links staff to the app', async () => {
    const sw = await fetch(`${baseURL()}/f/sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    const source = await sw.text();
    const precache = JSON.parse(/const PRECACHE = (\[.*?\]);/.exec(source)![1]) as string[];
    expect(precache).toContain('/field.html');
    expect(precache.some((f) => /\/assets\/field-[^/]+\.js$/.test(f))).toBe(true);
    expect(precache.some((f) => /\/assets\/antd-/.test(f))).toBe(false);
    const manifest = await (await fetch(`${baseURL()}/f/manifest.webmanifest`)).json();
    expect(manifest).toMatchObject({ name: '网格采集', start_url: '/f/', scope: '/f/', display: 'standalone' });
  });

  it('plate URL → offline: an item and a new resident wait → online: they sync → the officer applies, 民政 closes with feedback', async () => {
    const worker = await staffToken('gridworker');
    const pack = await api<PackLite>('GET', '/api/v1/field/pack', worker);
    const rooms = pack.addresses.filter((a) => a.level === 'room' && a.plateTokens.length > 0);
    const room = rooms[Math.floor(Math.random() * rooms.length)];
    const token = room.plateTokens[0];
    const person = `测试${'甲乙丙丁戊己庚辛'[Math.floor(Math.random() * 8)]}${'一二三四五六七八'[Math.floor(Math.random() * 8)]}`;
    const elder = `长者${'甲乙丙丁戊己庚辛'[Math.floor(Math.random() * 8)]}${Date.now() % 1000}`;
    const idNumber = identityNumber();

    const phone: BrowserContext = await newContext(browser, PHONE);
    const desk: BrowserContext = await newContext(browser);
    try {
      // ① the plate's staff link opens the app, which asks for sign-in and then shows the record
      const page = await phone.newPage();
      await page.goto(`/q/${token}`);
      expect(await page.locator(`a[href="/f/p/${token}"]`).innerText()).toBe('工作人员采集入口');
      await page.locator(`a[href="/f/p/${token}"]`).click();
      await page.getByTestId('login-page').waitFor();
      await box(page, 'login-username').fill('gridworker');
      await box(page, 'login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('record-address').waitFor();
      expect(await page.getByTestId('record-address').innerText()).toContain(room.fullText.slice(-6));
      // the app is installed for offline use: its worker is active and the pack is on the phone
      await page.evaluate(async () => void (await navigator.serviceWorker.ready));
      await settle(page);
      await screenshot(page, 'field-record');

      // ② offline
      await phone.setOffline(true);
      await page.reload();
      await page.getByTestId('record-address').waitFor();
      await page.getByTestId('offline-pill').waitFor();

      // ③ an item: 上报事项 → 社区服务 → 独居老人关爱; a wrong age is caught on the spot
      await page.getByTestId('act-report').click();
      await page.getByTestId('cat-service').click();
      await page.getByTestId('type-elderly_alone').click();
      await page.getByTestId('item-form').waitFor();
      await box(page, 'field-data.name').fill(elder);
      await box(page, 'field-data.age').fill('45');
      await page.getByTestId('item-save').click();
      await expect.poll(() => field(page, 'data.age').innerText(), POLL).toContain('不能小于 60');
      await screenshot(page, 'field-item-error');
      await box(page, 'field-data.age').fill('83');
      await field(page, 'data.health').getByText('较差', { exact: true }).click();
      await field(page, 'data.living').getByText('部分自理', { exact: true }).click();
      await field(page, 'data.needsHelp').getByText('是', { exact: true }).click();
      await page.getByTestId('item-save').click();
      await page.getByTestId('record-address').waitFor();
      await page.getByTestId('local-pending').waitFor();

      // ④ a change: 新增人员, the check digit checked as typed
      await page.getByTestId('act-person-add').click();
      await page.getByTestId('change-form').waitFor();
      await box(page, 'field-data.name').fill(person);
      const wrong = idNumber.slice(0, 17) + (idNumber[17] === '0' ? '1' : '0');
      await box(page, 'field-data.idNumber').fill(wrong);
      await expect.poll(() => field(page, 'data.idNumber').innerText(), POLL).toContain('校验位');
      await box(page, 'field-data.idNumber').fill(idNumber);
      await expect.poll(() => field(page, 'data.idNumber').locator('.fq-error').count(), POLL).toBe(0);
      await page.getByTestId('change-save').click();
      await page.getByTestId('record-address').waitFor();

      // ⑤ both wait on the phone, said plainly
      // the sync bar leads to the outbox
      await page.getByTestId('sync-bar').locator('button').first().click();
      await page.getByTestId('outbox-page').waitFor();
      await expect.poll(() => page.getByTestId('outbox-pending').count(), POLL).toBe(2);
      expect(await page.getByTestId('pending-count').innerText()).toBe('2 条待发送');
      await screenshot(page, 'field-outbox-offline');

      // ⑥ online again: they go by themselves
      await phone.setOffline(false);
      await page.getByTestId('outbox-empty').waitFor({ timeout: 30_000 });
      await expect.poll(() => page.getByTestId('sent-row').count(), POLL).toBeGreaterThanOrEqual(2);
      expect(await page.getByTestId('outbox-history').innerText()).toContain('等待民警审核');
      await screenshot(page, 'field-outbox-synced');

      // what the server got: the item routed to 区民政局, the change waiting for the officer
      const items = await api<{ items: Array<{ id: string; typeCode: string; data: { name?: string }; dispatches: Array<{ id: string; ownerName: string; status: string }> }> }>(
        'GET',
        '/api/v1/field/me/items?pageSize=20',
        worker,
      );
      const item = items.items.find((i) => i.typeCode === 'elderly_alone' && i.data.name === elder)!;
      expect(item, JSON.stringify(items.items.slice(0, 3))).toBeTruthy();
      const civil = item.dispatches.find((d) => d.ownerName.includes('民政'))!;
      expect(civil).toMatchObject({ status: 'pending' });
      const changes = await api<{ items: Array<{ id: string; kind: string; status: string; summary: string }> }>('GET', '/api/v1/field/me/changes?pageSize=20', worker);
      const change = changes.items.find((c) => c.kind === 'person_add' && c.summary.includes(person))!;
      expect(change).toMatchObject({ status: 'pending' });

      // ⑦ the community officer applies the change in the console
      const staff = await desk.newPage();
      await signIn(staff, 'officer');
      await staff.goto(`/field/changes/${change.id}`);
      await settle(staff);
      expect(await staff.locator('main').innerText()).toContain(person);
      const apply = staff.getByTestId('change-apply');
      await clickUntil(apply, shows(staff.locator('.ant-modal-confirm-btns button.ant-btn-primary, [data-testid="apply-ok"]').first()));
      await staff.locator('.ant-modal-confirm-btns button.ant-btn-primary, [data-testid="apply-ok"]').first().click();
      const officer = await staffToken('officer');
      await expect
        .poll(async () => (await api<{ residents: Array<{ name: string }> }>('GET', `/api/v1/addresses/${room.id}/residents`, officer)).residents.map((r) => r.name), POLL)
        .toContain(person);
      await screenshot(staff, 'field-change-applied');

      // ⑧ 区民政局 accepts the routed item and closes it with feedback
      const dept = await desk.newPage();
      await desk.clearCookies();
      await signIn(dept, 'dept');
      await dept.goto(`/field/inbox/${civil.id}`);
      await dept.getByTestId('dispatch-content').waitFor();
      expect(await dept.getByTestId('dispatch-content').innerText()).toContain(elder);
      await clickUntil(dept.getByTestId('dispatch-accept'), shows(dept.getByTestId('dispatch-close')));
      await clickUntil(dept.getByTestId('dispatch-close'), shows(dept.getByTestId('close-text')));
      await dept.getByTestId('close-result').click();
      await chooseOpenOption(dept, dept.getByTestId('close-result'), '已解决');
      const feedback = `已上门走访${elder}，纳入居家养老服务`;
      await dept.getByTestId('close-text').fill(feedback);
      await dept.getByTestId('close-ok').click();
      await expect
        .poll(async () => (await api<{ items: Array<{ id: string; status: string }> }>('GET', '/api/v1/field/me/items?pageSize=20', worker)).items.find((i) => i.id === item.id)?.status, POLL)
        .toBe('closed');
      await screenshot(dept, 'field-dispatch-closed');

      // ⑨ the worker sees the department's feedback and the applied change
      await page.goto('/f/me/items');
      await expect.poll(() => page.getByTestId('my-item').first().innerText(), POLL).toContain(feedback);
      await screenshot(page, 'field-my-items');
      await page.goto('/f/me/changes');
      await expect.poll(() => page.getByTestId('my-change').first().innerText(), POLL).toContain('已生效');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(391);
    } finally {
      await phone.close();
      await desk.close();
    }
  });
});

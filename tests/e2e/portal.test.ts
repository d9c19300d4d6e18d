import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseURL, clickUntil, DEMO_PASSWORD, launchBrowser, newContext, screenshot, settle, shows, signIn } from './support.js';

/**
 * The resident portal as its users meet it: a resident scans a plate on a phone, signs in with the code the
 * SMS outbox received, files a 流动人口报备; the community officer approves it in the console; the person is
 * then registered at the address, with the audit rows of the approval.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const PHONE_VIEWPORT = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const POLL = { timeout: 15_000 };

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A valid identity number (GB 11643) of someone born in 河南 in 1996, and the same number with a wrong check digit. */
function identityNumber(): { valid: string; wrongCheck: string } {
  const body = `411302199604${String(10 + Math.floor(Math.random() * 18))}${String(Math.floor(Math.random() * 900) + 100)}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * ID_WEIGHTS[i];
  const check = '10X98765432'[sum % 11];
  return { valid: body + check, wrongCheck: body + (check === '0' ? '1' : '0') };
}
const mobile = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

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

/** The newest one-time code the development outbox holds for a phone. */
async function codeFor(phone: string): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(async () => {
      const box = await api<Array<{ phone: string; body: string }>>('GET', '/api/v1/dev/outbox');
      code = box.filter((m) => m.phone === phone && m.body.includes('验证码')).map((m) => /(\d{6})/.exec(m.body)?.[1])[0];
      return code;
    }, POLL)
    .toBeTruthy();
  return code!;
}

/** Signs a resident in on the portal's sign-in screen (where a protected page sent them). */
const textBox = (page: Page, testId: string) => page.locator(`[data-testid="${testId}"] input, input[data-testid="${testId}"]`).first();

async function residentSignIn(page: Page, phone: string): Promise<void> {
  await textBox(page, 'login-phone').fill(phone);
  await page.getByTestId('login-send').click();
  await page.getByTestId('login-sent').waitFor();
  await textBox(page, 'login-code').fill(await codeFor(phone));
  await page.getByTestId('login-submit').click();
}

const field = (page: Page, path: string) => page.getByTestId(`field-${path}`);
const input = (page: Page, path: string) => field(page, path).locator('input, textarea').first();

describe('resident portal', () => {
  it('serves the portal compressed, its hashed files cached for good and its page revalidated', async () => {
    const page = await fetch(`${baseURL()}/m/me`, { headers: { 'accept-encoding': 'br' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    const entry = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    const asset = await fetch(`${baseURL()}${entry}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-encoding')).toBe('br');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    await asset.arrayBuffer();
  });

  it('plate → SMS sign-in → 流动人口报备 → the officer approves → the person lives at the address, audited', async () => {
    // a room in the officer's community with an active plate, and nobody yet registered under the new number
    const officer = await staffToken('officer');
    const rooms = await api<{ items: Array<{ id: string; fullText: string }> }>('GET', '/api/v1/addresses?level=room&pageSize=20', officer);
    const room = rooms.items[Math.floor(Math.random() * rooms.items.length)];
    const detail = await api<{ activePlate: { token: string } | null }>('GET', `/api/v1/addresses/${room.id}`, officer);
    const token = detail.activePlate!.token;
    const id = identityNumber();
    const phone = mobile();
    const name = `测试${'甲乙丙丁戊己庚辛'[Math.floor(Math.random() * 8)]}${'一二三四五六七八'[Math.floor(Math.random() * 8)]}`;

    const resident: BrowserContext = await newContext(browser, PHONE_VIEWPORT);
    const console_: BrowserContext = await newContext(browser);
    try {
      // ① the plate page: the address, 110 on top, the actions
      const page = await resident.newPage();
      await page.goto(`/q/${token}`);
      await expect.poll(() => page.locator('a[href="tel:110"]').count()).toBeGreaterThan(0);
      expect(await page.locator('body').innerText()).toContain(room.fullText.slice(-6));
      expect(await page.locator('script').count()).toBe(0);
      await screenshot(page, 'portal-plate');

      // ② 流动人口报备 asks the resident to sign in first, then comes back to the form
      await page.locator(`a[href="/m/p/${token}/residence"]`).click();
      await page.waitForURL(/\/m\/login/);
      await residentSignIn(page, phone);
      await page.getByTestId('residence-form').waitFor();

      // ③ a wrong check digit is caught while typing; then the real number
      await input(page, 'name').fill(name);
      await input(page, 'idNumber').fill(id.wrongCheck);
      await input(page, 'idNumber').blur();
      await expect.poll(() => field(page, 'idNumber').innerText(), POLL).toContain('校验');
      await input(page, 'idNumber').fill(id.valid);
      await input(page, 'hukouAddress').fill('河南省南阳市宛城区新华街道建设路12号');
      await field(page, 'reason').getByText('务工', { exact: true }).click();
      await input(page, 'reasonNote').fill('在附近物流园上班');
      await input(page, 'arrivalDate').fill('2026-11-01');
      await input(page, 'expectedStayUntil').fill('2027-10-31');
      await field(page, 'relation').getByText('租住', { exact: true }).click();
      await expect.poll(() => field(page, 'idNumber').locator('.fq-error').count(), POLL).toBe(0);
      await screenshot(page, 'portal-residence-form');
      await page.getByTestId('submit').click();
      const trackingNo = (await page.getByTestId('tracking-no').innerText()).trim();
      expect(trackingNo).toMatch(/^LD\d{14}$/);
      await screenshot(page, 'portal-residence-done');

      // ④ the officer finds it in the review queue and approves it
      const staff = await console_.newPage();
      await signIn(staff, 'officer');
      await staff.goto('/portal/reviews');
      await settle(staff);
      await staff.getByText(trackingNo).click();
      await staff.getByTestId('review-content').waitFor();
      expect(await staff.getByTestId('review-content').innerText()).toContain(name);
      await clickUntil(staff.getByTestId('review-approve'), shows(staff.getByTestId('approve-ok')));
      await clickUntil(staff.getByTestId('approve-ok'), shows(staff.getByTestId('approve-outcome'), 10_000));
      await screenshot(staff, 'portal-review-approved');

      // ⑤ the person now lives at the address, from the arrival date, and the approval left its audit rows
      const { residents } = await api<{ residents: Array<{ personId: string; name: string; fromDate: string; personType: string; relation: string }> }>(
        'GET',
        `/api/v1/addresses/${room.id}/residents`,
        officer,
      );
      const person = residents.find((r) => r.name === name);
      expect(person, JSON.stringify(residents)).toBeTruthy();
      expect(person).toMatchObject({ fromDate: '2026-11-01', personType: 'floating', relation: 'tenant' });
      const supervisor = await staffToken('supervisor');
      const audit = await api<{ items: Array<{ action: string; actorName: string | null }> }>('GET', `/api/v1/audit?subjectId=${person!.personId}&pageSize=50`, supervisor);
      const actions = audit.items.map((a) => a.action);
      expect(actions).toEqual(expect.arrayContaining(['person.create', 'portal.approve']));

      // ⑥ the resident sees it done, with its timeline
      await page.goto('/m/me');
      await page.getByTestId(`submission-${trackingNo}`).click();
      await expect.poll(() => page.getByTestId('timeline').innerText(), POLL).toContain('已办结');
      await screenshot(page, 'portal-progress-done');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(391);

      // ⑦ another resident cannot open it
      const submissionUrl = new URL(page.url()).pathname;
      const stranger = await newContext(browser, PHONE_VIEWPORT);
      try {
        const other = await stranger.newPage();
        await other.goto(submissionUrl);
        await other.waitForURL(/\/m\/login/);
        await residentSignIn(other, mobile());
        await other.waitForURL((u) => u.pathname === submissionUrl);
        await expect.poll(() => other.locator('body').innerText(), POLL).toContain('没有找到这条记录');
        expect(await other.locator('body').innerText()).not.toContain(name);
      } finally {
        await stranger.close();
      }
    } finally {
      await resident.close();
      await console_.close();
    }
  });

  it('the lease check, a lost reply retried with the same clientId (one record), and a slot taken meanwhile', async () => {
    const officer = await staffToken('officer');
    const rooms = await api<{ items: Array<{ id: string }> }>('GET', '/api/v1/addresses?level=room&pageSize=50', officer);
    const room = rooms.items[Math.floor(Math.random() * rooms.items.length)];
    const token = (await api<{ activePlate: { token: string } }>('GET', `/api/v1/addresses/${room.id}`, officer)).activePlate.token;
    // a service of one place per slot at the officer's community office
    const offices = await api<Array<{ id: string; kind: string }>>('GET', '/api/v1/police-offices', officer);
    const office = offices.find((o) => o.kind === 'office')!;
    const serviceName = `无犯罪记录证明${Date.now() % 100000}`;
    const service = await api<{ id: string }>('POST', '/api/v1/appointment-services', officer, {
      officeId: office.id,
      category: 'zhengming',
      name: serviceName,
      requiredDocs: ['居民身份证'],
      slotMinutes: 30,
      capacity: 1,
      daysAhead: 7,
    });
    const owner = identityNumber();
    const tenant = identityNumber();
    const phone = mobile();

    const context = await newContext(browser, PHONE_VIEWPORT);
    try {
      const page = await context.newPage();
      await page.goto(`/q/${token}`);
      await page.locator(`a[href="/m/p/${token}/rental"]`).click();
      await page.waitForURL(/\/m\/login/);
      await residentSignIn(page, phone);
      await page.getByTestId('rental-form').waitFor();

      // ① a lease that ends before it starts is refused on the spot, and nothing is sent
      let posts = 0;
      page.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith('/api/v1/portal/submissions')) posts++;
      });
      await input(page, 'owner.name').fill('王房东');
      await input(page, 'owner.idNumber').fill(owner.valid);
      await input(page, 'owner.phone').fill('13605431234');
      await input(page, 'leaseFrom').fill('2026-12-01');
      await input(page, 'leaseTo').fill('2026-11-01');
      await input(page, 'tenants.0.name').fill('赵租客');
      await input(page, 'tenants.0.idNumber').fill(tenant.valid);
      await page.getByTestId('submit').click();
      await expect.poll(() => field(page, 'leaseTo').innerText(), POLL).toContain('租赁结束日期须晚于开始日期');
      expect(posts).toBe(0);
      await screenshot(page, 'portal-rental-lease-error');
      await input(page, 'leaseTo').fill('2027-11-30');

      // ② the reply to the first submit is lost on the way back; the retry sends the same clientId
      let first: { trackingNo: string } | undefined;
      await page.route('**/api/v1/portal/submissions', async (route) => {
        if (route.request().method() !== 'POST' || first) return route.continue();
        const res = await route.fetch();
        first = (await res.json()) as { trackingNo: string };
        await route.abort('connectionreset');
      });
      await page.getByTestId('submit').click();
      await page.getByTestId('network-error').waitFor();
      await page.getByTestId('retry-submit').click();
      const trackingNo = (await page.getByTestId('tracking-no').innerText()).trim();
      expect(first?.trackingNo).toMatch(/^CZ\d{14}$/);
      expect(trackingNo).toBe(first!.trackingNo);
      const mine = (await (await page.request.get('/api/v1/portal/submissions?kind=rental')).json()) as { items: Array<{ trackingNo: string }> };
      expect(mine.items.map((x) => x.trackingNo)).toEqual([trackingNo]);

      // ③ appointments: the resident picks a slot, someone else takes its only place, the booking is refused
      await page.goto(`/m/p/${token}/appointments`);
      await page.getByTestId(`service-${service.id}`).getByTestId('service-pick').click();
      await page.getByTestId('slot-picker').waitFor();
      await page.getByTestId('slot').and(page.locator(':not([disabled])')).first().click();
      await page.getByTestId('slot-next').click();
      await page.getByTestId('appt-confirm').waitFor();
      const slotStart = new URL(page.url()).searchParams.get('slot')!;
      const otherPhone = mobile();
      await api('POST', '/api/v1/auth/otp/request', undefined, { phone: otherPhone });
      const other = (await api<{ token: string }>('POST', '/api/v1/auth/otp/verify', undefined, { phone: otherPhone, code: await codeFor(otherPhone) })).token;
      await api('POST', '/api/v1/portal/appointments', other, { serviceId: service.id, slotStart, name: '钱先到', clientId: crypto.randomUUID() });
      await input(page, 'name').fill('孙后到');
      await page.getByTestId('submit').click();
      await expect.poll(() => page.locator('.adm-dialog').innerText(), POLL).toContain('已约满');
      await screenshot(page, 'portal-slot-full');
      await page.locator('.adm-dialog-button').first().click();
      await page.getByTestId('slot-picker').waitFor();
      const taken = await page.getByTestId('slot').evaluateAll((els, start) => {
        const fmt = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });
        const hhmm = fmt.format(new Date(start));
        const el = els.find((e) => (e.textContent ?? '').startsWith(hhmm));
        return el ? { disabled: (el as HTMLButtonElement).disabled, text: el.textContent } : null;
      }, slotStart);
      expect(taken).toMatchObject({ disabled: true });
      const mineBookings = (await (await page.request.get('/api/v1/portal/appointments')).json()) as { items: unknown[] };
      expect(mineBookings.items).toHaveLength(0);
    } finally {
      await context.close();
    }
  });
});

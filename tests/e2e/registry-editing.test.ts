import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chooseOpenOption, launchBrowser, newContext, screenshot, settle, signIn } from './support.js';

/** Long enough for a field message's or a dropdown's leaving motion on a busy machine. */
const POLL = { timeout: 10_000 };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A valid 18-digit identity number (GB 11643) that the demo district does not hold. */
function identityNumber(): { valid: string; wrongCheck: string } {
  const seq = String(Math.floor(Math.random() * 900) + 100);
  const body = `371602199${Math.floor(Math.random() * 10)}0${Math.floor(Math.random() * 9) + 1}1${Math.floor(Math.random() * 9)}${seq}`;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(body[i]) * ID_WEIGHTS[i];
  const check = '10X98765432'[sum % 11];
  const wrong = check === '0' ? '1' : '0';
  // the form accepts a lower-case x
  return { valid: body + check.toLowerCase(), wrongCheck: body + wrong };
}

const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
/** A valid 统一社会信用代码 (GB 32100) of an enterprise registered in 滨城区. */
function creditCode(): string {
  const org8 = `MA${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  let s = 0;
  for (let i = 0; i < 8; i += 1) {
    const c = org8.charCodeAt(i);
    s += (c <= 57 ? c - 48 : c - 55) * ORG_WEIGHTS[i];
  }
  const r = 11 - (s % 11);
  const first17 = `91371602${org8}${r === 10 ? 'X' : r === 11 ? '0' : String(r)}`;
  let t = 0;
  for (let i = 0; i < 17; i += 1) t += CREDIT_ALPHABET.indexOf(first17[i]) * CREDIT_WEIGHTS[i];
  return first17 + CREDIT_ALPHABET[(31 - (t % 31)) % 31];
}

/** Types into a search picker (address or person) and chooses the first choosable candidate showing `shows`. */
async function pick(page: Page, testId: string, text: string, shows: string): Promise<void> {
  await page.locator(`[data-testid="${testId}"] input`).fill(text);
  await chooseOpenOption(page, page.getByTestId(testId), shows);
}

async function chooseOption(page: Page, testId: string, label: string): Promise<void> {
  await page.getByTestId(testId).click();
  await chooseOpenOption(page, page.getByTestId(testId), label);
}

/** The messages shown under one form field. */
function fieldError(page: Page, inputTestId: string) {
  return page.locator('.ant-form-item').filter({ has: page.getByTestId(inputTestId) }).locator('.ant-form-item-explain-error');
}

describe('registry editing in the console', () => {
  it('registers a person (refusing a wrong ID number), moves them out, refuses a duplicate', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const id = identityNumber();
    try {
      await signIn(page, 'officer');
      await page.goto('/registry/persons');
      await settle(page);
      await page.getByTestId('person-register').click();
      const form = page.getByTestId('person-form');
      await form.waitFor({ state: 'visible' });

      // a wrong check character is named on the spot, and nothing is sent
      let posted = 0;
      page.on('request', (r) => {
        if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/persons') posted += 1;
      });
      await page.getByTestId('person-name').fill('岳明远');
      await page.getByTestId('person-id').fill(id.wrongCheck);
      await expect.poll(() => fieldError(page, 'person-id').innerText(), POLL).toContain('校验位错误');
      await page.getByTestId('form-submit').click();
      await expect.poll(() => fieldError(page, 'person-id').innerText(), POLL).toContain('校验位错误');
      expect(posted).toBe(0);
      await screenshot(page, 'registry-person-bad-id');

      // the valid number (lower-case x accepted) checks out, with a residence
      await page.getByTestId('person-id').fill(id.valid);
      await page.getByTestId('id-check-ok').waitFor({ state: 'visible' });
      await expect.poll(() => fieldError(page, 'person-id').count(), POLL).toBe(0);
      await page.getByTestId('person-phone').fill('13905439876');
      await pick(page, 'residence-address', '香园小区3-2-501', '香园小区3号楼2单元501室');
      await expect.poll(() => page.getByTestId('address-picked').innerText(), POLL).toContain('3号楼2单元501室');
      await chooseOption(page, 'residence-relation', '租户');
      const created = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/persons');
      await page.getByTestId('form-submit').click();
      const res = await created;
      expect(res.status()).toBe(201);
      const body = res.request().postDataJSON() as { idNumber: string; clientId: string; residence: { relation: string } };
      expect(body.idNumber).toBe(id.valid.toUpperCase());
      expect(body.clientId).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.residence.relation).toBe('tenant');
      const person = (await res.json()) as { id: string };

      // the person page, with the current residence
      await page.waitForURL(`**/registry/persons/${person.id}`);
      await settle(page);
      await expect.poll(() => page.locator('.fq-page-title').innerText(), POLL).toBe('岳明远');
      const history = page.locator('.ant-card').filter({ hasText: '居住史' });
      await expect.poll(() => history.innerText(), POLL).toContain('香园小区3号楼2单元501室');
      await expect.poll(() => history.innerText(), POLL).toContain('现住');

      // 迁出 closes the residence; it stays in the history
      await page.getByTestId('move-out').click();
      const dialog = page.getByRole('dialog', { name: /迁出/ });
      await dialog.waitFor({ state: 'visible' });
      const ended = page.waitForResponse((r) => /\/api\/v1\/residences\/[^/]+\/end$/.test(r.url()));
      await dialog.getByRole('button', { name: /迁\s*出/ }).click();
      expect((await ended).status()).toBe(200);
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => history.innerText(), POLL).not.toContain('现住');
      expect(await history.innerText()).toContain('香园小区3号楼2单元501室');
      expect(await page.getByTestId('move-out').count()).toBe(0);
      await screenshot(page, 'registry-person-moved-out');

      // the same number again: the field says so and the existing record is offered
      await page.goto('/registry/persons');
      await settle(page);
      await page.getByTestId('person-register').click();
      await page.getByTestId('person-form').waitFor({ state: 'visible' });
      await page.getByTestId('person-name').fill('岳明远');
      await page.getByTestId('person-id').fill(id.valid.toUpperCase());
      await page.getByTestId('with-residence').click();
      const again = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/persons');
      await page.getByTestId('form-submit').click();
      expect((await again).status()).toBe(409);
      await expect.poll(() => fieldError(page, 'person-id').innerText(), POLL).toContain('该公民身份号码已登记');
      expect(await page.getByTestId('existing-person').getAttribute('href')).toBe(`/registry/persons/${person.id}`);
      await screenshot(page, 'registry-person-duplicate');
    } finally {
      await context.close();
    }
  });

  it('registers a unit with a checked credit code and an address', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const code = creditCode();
    try {
      await signIn(page, 'officer');
      await page.goto('/registry/units');
      await settle(page);
      await page.getByTestId('unit-create').click();
      await page.getByTestId('unit-form').waitFor({ state: 'visible' });
      await page.getByTestId('unit-credit').fill(code.slice(0, 17) + (code[17] === '0' ? '1' : '0'));
      await expect.poll(() => fieldError(page, 'unit-credit').innerText(), POLL).toMatch(/校验/);
      await page.getByTestId('unit-credit').fill(code.toLowerCase());
      await page.getByTestId('credit-check-ok').waitFor({ state: 'visible' });
      await page.getByTestId('unit-name').fill('滨州市彭李便民快递驿站');
      await chooseOption(page, 'unit-industry', '寄递业');
      await pick(page, 'unit-address', '黄河九路18号', '黄河九路18号');
      const created = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/units');
      await page.getByTestId('form-submit').click();
      expect((await created).status()).toBe(201);
      const drawer = page.getByTestId('unit-drawer');
      await drawer.waitFor({ state: 'visible' });
      await expect.poll(() => drawer.innerText(), POLL).toContain(code);
      expect(await drawer.innerText()).toContain('寄递业');
      expect(await drawer.innerText()).toContain('黄河九路18号');
      await screenshot(page, 'registry-unit-created');
    } finally {
      await context.close();
    }
  });

  it('on a phone the registration form fills the screen', async () => {
    const context = await newContext(browser, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    try {
      await signIn(page, 'gridworker');
      await page.goto('/registry/persons');
      await settle(page);
      await page.getByTestId('person-register').click();
      await page.getByTestId('person-form').waitFor({ state: 'visible' });
      const box = await page.locator('.ant-drawer-content-wrapper').boundingBox();
      expect(Math.round(box?.width ?? 0)).toBe(390);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(391);
      await screenshot(page, 'registry-phone-register');
    } finally {
      await context.close();
    }
  });
});

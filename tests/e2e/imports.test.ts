import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expandSideMenu, launchBrowser, newContext, screenshot, settle, sideMenuText, signIn } from './support.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** A valid 18-digit 公民身份号码 (GB 11643 check character) for a birth date and a sequence number. */
function idNumber(birth: string, seq: number): string {
  const first17 = `371602${birth}${String(seq).padStart(3, '0')}`;
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * WEIGHTS[i], 0);
  return first17 + CHECK[sum % 11];
}

/** The same number with a wrong check character. */
function badCheck(id: string): string {
  const right = id[17];
  return id.slice(0, 17) + (right === '1' ? '2' : '1');
}

describe('data import (数据导入)', () => {
  it('an officer imports people: template, upload, mapping, dry run with a report, commit skipping the bad row', async () => {
    const context = await newContext(browser, { acceptDownloads: true });
    const page = await context.newPage();
    // a run-unique sequence so that a rerun against the same data does not only update
    const seq = 100 + (Date.now() % 800);
    const good1 = idNumber('19880512', seq);
    const good2 = idNumber('19920304', seq + 1);
    const bad = badCheck(idNumber('19750101', seq + 2));
    const name1 = `导入测试甲${seq}`;
    try {
      await signIn(page, 'officer');
      await expandSideMenu(page);
      expect(await sideMenuText(page)).toContain('数据导入');

      await page.goto('/registry/imports');
      await settle(page);
      await page.getByTestId('import-kind-persons').waitFor({ state: 'visible' });
      expect(await page.getByTestId('import-next').isDisabled()).toBe(true);

      // ① the persons template, as CSV: Chinese headers with the required mark
      const [template] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-template-persons-csv').click()]);
      expect(template.suggestedFilename()).toBe('实有人口导入模板.csv');
      const templatePath = await template.path();
      const templateText = readFileSync(templatePath, 'utf8');
      expect(templateText).toContain('公民身份号码');
      expect(templateText).toContain('姓名');

      await page.getByTestId('import-kind-persons').click();
      expect(await page.getByTestId('import-kind-persons').getAttribute('aria-checked')).toBe('true');
      await screenshot(page, 'imports-kind');
      await page.getByTestId('import-next').click();

      // ② the file: a header alias (身份证号), a column the template does not know (备注), two good rows and a bad one
      const csv = [
        '身份证号,姓名,人员类别,联系电话,备注',
        `${good1},${name1},户籍人口,13805431234,第一行`,
        `${good2},导入测试乙${seq},流动人口,,第二行`,
        `${bad},导入测试丙${seq},户籍人口,,校验位错误`,
      ].join('\r\n');
      await page.getByTestId('import-upload').waitFor({ state: 'visible' });
      await page.locator('input[type=file]').setInputFiles({ name: '人口导入.csv', mimeType: 'text/csv', buffer: Buffer.from(`\ufeff${csv}\r\n`, 'utf8') });

      // ③ the mapping, suggested from the headers
      const mapping = page.getByTestId('import-mapping');
      await mapping.waitFor({ state: 'visible' });
      await settle(page);
      expect(new URL(page.url()).searchParams.get('job')).toBeTruthy();
      expect(await page.getByTestId('import-map-idNumber').innerText()).toContain('身份证号');
      expect(await page.getByTestId('import-map-name').innerText()).toContain('姓名');
      expect(await page.getByTestId('import-unused-columns').innerText()).toContain('备注');
      await screenshot(page, 'imports-mapping');
      await page.getByTestId('import-validate').click();

      // ④ the dry run: counts and the row with the bad identity number
      await page.getByTestId('import-validated').waitFor({ state: 'visible', timeout: 45_000 });
      await settle(page);
      expect(await page.getByTestId('import-tally-validate-create').innerText()).toContain('2');
      expect(await page.getByTestId('import-tally-validate-invalid').innerText()).toContain('1');
      const issues = page.getByTestId('import-issues');
      await expect.poll(() => issues.locator('tbody tr.ant-table-row').count()).toBe(1);
      const issueRow = await issues.locator('tbody tr.ant-table-row').first().innerText();
      expect(issueRow).toContain('4'); // the spreadsheet row: header is row 1
      expect(issueRow).toContain('身份证号');
      expect(issueRow).toContain('校验位错误');
      const [report] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-report-csv').click()]);
      expect(report.suggestedFilename()).toMatch(/^导入问题报告-.*\.csv$/);
      await screenshot(page, 'imports-validated');

      // ⑤ the commit: the bad row must be skipped knowingly
      await page.getByTestId('import-to-commit').click();
      await page.getByTestId('import-confirm').waitFor({ state: 'visible' });
      expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);
      await page.getByTestId('import-skip-invalid').click();
      expect(await page.getByTestId('import-commit').isDisabled()).toBe(false);
      await screenshot(page, 'imports-confirm');
      await page.getByTestId('import-commit').click();
      const result = page.getByTestId('import-result');
      await result.waitFor({ state: 'visible', timeout: 45_000 });
      await settle(page);
      const summary = await result.innerText();
      expect(summary).toContain('导入完成');
      expect(await page.getByTestId('import-tally-commit-create').innerText()).toContain('2');
      expect(await page.getByTestId('import-tally-commit-invalid').innerText()).toContain('1');
      await screenshot(page, 'imports-result');

      // the history lists the job as imported
      await page.getByRole('tab', { name: /导入记录/ }).click();
      const history = page.getByTestId('import-history');
      await history.waitFor({ state: 'visible' });
      await expect.poll(() => history.locator('tbody tr.ant-table-row').first().innerText()).toContain('人口导入.csv');
      expect(await history.locator('tbody tr.ant-table-row').first().innerText()).toContain('已导入');

      // and the people are in the registry
      await page.goto(`/registry/persons?q=${encodeURIComponent(name1)}`);
      await settle(page);
      await expect.poll(() => page.locator('.ant-table-tbody').innerText()).toContain(name1);
    } finally {
      await context.close();
    }
  });
});

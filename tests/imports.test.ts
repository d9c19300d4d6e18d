import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './support/app.js';
import { orgUnitId } from './support/registry-fixtures.js';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { computeCreditCheckChar, computeIdCheckChar, computeOrgCodeCheckChar } from '../src/server/platform/ids/index.js';
import { createAddress } from '../src/server/modules/addresses/service.js';
import { runPhase } from '../src/server/modules/imports/engine.js';
import { storeUpload } from '../src/server/modules/imports/files.js';
import { importsRepository } from '../src/server/modules/imports/repository.js';
import { Readable } from 'node:stream';

let t: TestApp;
let officer: string;
let admin: string;
let gridworker: string;
const rooms: Array<{ id: string; code: string }> = [];
let foreignRoom: { id: string; code: string };

const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A valid identity number born on the given day with a sequence (GB 11643 check character computed). */
export function idNo(birth: string, seq: number) {
  const body = `371602${birth}${String(seq).padStart(3, '0')}`;
  return body + computeIdCheckChar(body);
}

async function upload(token: string, kind: string, body: Buffer | string, type = CSV, fileName = 'data.csv') {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/imports?kind=${kind}&fileName=${encodeURIComponent(fileName)}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    payload: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
  });
}

/** Waits for a job to leave a running state (the server's runner works in the background). */
async function settle(token: string, id: string) {
  for (let i = 0; i < 400; i++) {
    const job = (await t.call(token, 'GET', `/api/v1/imports/${id}`)).json();
    if (!['validating', 'committing'].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`import ${id} did not finish`);
}

async function issues(token: string, id: string) {
  return (await t.call(token, 'GET', `/api/v1/imports/${id}/issues?pageSize=100`)).json().items as Array<{ row: number; column: string; value: string; reason: string; field: string }>;
}

const HEADER = '公民身份号码,姓名,人员类别,联系电话,现住址编码,与户主关系,迁入日期';
const personCount = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM persons`.execute(t.deps.db)).rows[0].n);

beforeAll(async () => {
  t = await createTestApp({ importBatchRows: 2 });
  [officer, admin, gridworker] = await Promise.all(['officer', 'admin', 'gridworker'].map((u) => t.login(u)));
  const sys = systemContext(Object.keys(PERMISSIONS));
  const grid = await orgUnitId(t.deps, '371602005001001');
  const road = await createAddress(t.deps, sys, { gridId: grid, level: 'road', name: '黄河十二路' });
  const door = await createAddress(t.deps, sys, { parentId: road.id, level: 'door', name: '599' });
  const building = await createAddress(t.deps, sys, { parentId: door.id, level: 'building', name: '3' });
  for (const n of ['101', '102', '201', '202']) {
    const r = await createAddress(t.deps, sys, { parentId: building.id, level: 'room', name: n });
    rooms.push({ id: r.id, code: r.code });
  }
  const fgrid = await orgUnitId(t.deps, '371602001001001');
  const froad = await createAddress(t.deps, sys, { gridId: fgrid, level: 'road', name: '渤海七路' });
  const fdoor = await createAddress(t.deps, sys, { parentId: froad.id, level: 'door', name: '8' });
  foreignRoom = { id: fdoor.id, code: fdoor.code };
}, 120_000);
afterAll(() => t.close());

describe('templates', () => {
  it('serves a Chinese XLSX template whose header is the template columns, and a CSV one', async () => {
    const res = await t.call(officer, 'GET', '/api/v1/imports/templates/persons');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const header = (wb.worksheets[0].getRow(1).values as string[]).slice(1);
    expect(header).toContain('公民身份号码');
    expect(header).toContain('姓名*');
    expect(wb.worksheets[1].name).toBe('填写说明');
    const csv = await t.call(officer, 'GET', '/api/v1/imports/templates/persons?format=csv');
    expect(csv.body.startsWith('\uFEFF公民身份号码,姓名*')).toBe(true);
  });

  it('refuses an unknown kind and a caller without the import permission', async () => {
    expect((await t.call(officer, 'GET', '/api/v1/imports/templates/cars')).statusCode).toBe(400);
    expect((await t.call(gridworker, 'GET', '/api/v1/imports/templates/persons')).statusCode).toBe(403);
  });
});

describe('people: upload, dry run, commit, re-import', () => {
  let jobId: string;
  const good = [idNo('19800101', 11), idNo('19820202', 12), idNo('19900303', 13)];
  const csv = () =>
    [
      HEADER,
      `${good[0]},张金明,户籍人口,13805431234,${rooms[0].code},户主,2015-05-01`,
      `${good[1].toLowerCase()},李秀英,户籍,,${rooms[0].code},配偶,2015-05-01`,
      `37160219800101001X,王错号,户籍人口,,,,`, // wrong check character
      `${good[2]},赵流动,流动人口,139054300,${rooms[1].code},租客,2024-13-01`, // bad phone, bad date
      `${good[0]},张重复,户籍人口,,,,`, // repeats row 2
      `${idNo('19700707', 14)},,户籍人口,,,,`, // no name
      '',
      `${idNo('19750505', 15)},孙邻居,户籍人口,,${rooms[2].code},户主,2019-09-09`,
      `${idNo('19710707', 16)},钱外区,户籍人口,,${foreignRoom.code},户主,2020-01-01`, // an address outside the jurisdiction
    ].join('\r\n');

  it('uploads a CSV file and suggests the mapping from its header', async () => {
    const res = await upload(officer, 'persons', csv());
    expect(res.statusCode).toBe(201);
    const job = res.json();
    jobId = job.id;
    expect(job.status).toBe('uploaded');
    expect(job.headers).toEqual(HEADER.split(','));
    expect(job.mapping).toMatchObject({ idNumber: 0, name: 1, personType: 2, phone: 3, addressCode: 4, relation: 5, fromDate: 6 });
  });

  it('the dry run reports row, column, value and reason and writes nothing', async () => {
    const before = await personCount();
    const start = await t.call(officer, 'POST', `/api/v1/imports/${jobId}/validate`, {});
    expect(start.statusCode).toBe(202);
    const job = await settle(officer, jobId);
    expect(job.status).toBe('validated');
    expect(job.dryRun).toMatchObject({ rows: 8, valid: 3, invalid: 5, create: 3, update: 0, unchanged: 0 });
    expect(await personCount()).toBe(before);
    const list = await issues(officer, jobId);
    const at = (row: number, field: string) => list.find((i) => i.row === row && i.field === field);
    expect(at(4, 'idNumber')).toMatchObject({ column: '公民身份号码', reason: expect.stringContaining('校验位') });
    expect(at(4, 'idNumber')!.value).not.toContain('19800101'); // masked in the report
    expect(at(5, 'phone')).toMatchObject({ column: '联系电话', value: '*****4300' });
    expect(at(5, 'fromDate')).toMatchObject({ column: '迁入日期', value: '2024-13-01', reason: expect.stringContaining('日期') });
    expect(at(6, 'idNumber')!.reason).toContain('第 2 行');
    expect(at(7, 'name')).toMatchObject({ reason: '姓名不能为空' });
    expect(at(10, 'addressCode')).toMatchObject({ value: foreignRoom.code, reason: expect.stringContaining('不在您的辖区内') });
  });

  it('refuses to commit with invalid rows unless told to skip them, then imports the valid rows', async () => {
    const refused = await t.call(officer, 'POST', `/api/v1/imports/${jobId}/commit`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().errors[0].field).toBe('skipInvalid');
    const reported = (await issues(officer, jobId)).length;
    const start = await t.call(officer, 'POST', `/api/v1/imports/${jobId}/commit`, { skipInvalid: true });
    expect(start.statusCode).toBe(202);
    const job = await settle(officer, jobId);
    // the skipped rows are not reported a second time
    expect(await issues(officer, jobId)).toHaveLength(reported);
    expect(job.status).toBe('committed');
    expect(job.committed).toMatchObject({ rows: 8, valid: 3, create: 3, update: 0 });
    const found = (await t.call(officer, 'GET', `/api/v1/persons?q=${good[1]}`)).json();
    expect(found.items).toHaveLength(1);
    const residents = (await t.call(officer, 'GET', `/api/v1/addresses/${rooms[0].id}/residents`)).json();
    const names = residents.residents.map((r: { name: string; relation: string }) => `${r.name}:${r.relation}`).sort();
    expect(names).toEqual(['张金明:householder', '李秀英:spouse'].sort());
    const audit = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'person.import_create'`.execute(t.deps.db);
    expect(Number(audit.rows[0].n)).toBeGreaterThan(0);
  });

  it('re-importing the same file changes nothing', async () => {
    const before = await sql<{ n: string; u: string }>`SELECT count(*) AS n, max(updated_at)::text AS u FROM persons`.execute(t.deps.db);
    const auditBefore = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action LIKE 'person.import%'`.execute(t.deps.db);
    const again = (await upload(officer, 'persons', csv())).json();
    await t.call(officer, 'POST', `/api/v1/imports/${again.id}/validate`, {});
    const dry = await settle(officer, again.id);
    expect(dry.dryRun).toMatchObject({ create: 0, update: 0, unchanged: 3 });
    await t.call(officer, 'POST', `/api/v1/imports/${again.id}/commit`, { skipInvalid: true });
    const done = await settle(officer, again.id);
    expect(done.committed).toMatchObject({ create: 0, update: 0, unchanged: 3 });
    const after = await sql<{ n: string; u: string }>`SELECT count(*) AS n, max(updated_at)::text AS u FROM persons`.execute(t.deps.db);
    expect(after.rows[0]).toEqual(before.rows[0]);
    const auditAfter = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action LIKE 'person.import%'`.execute(t.deps.db);
    expect(auditAfter.rows[0].n).toBe(auditBefore.rows[0].n);
  });

  it('a changed row updates the record and a new address moves the person (the old residence is closed, not deleted)', async () => {
    const body = [HEADER, `${good[0]},张金明,户籍人口,13905439876,${rooms[3].code},户主,2025-01-01`].join('\n');
    const job = (await upload(officer, 'persons', body)).json();
    await t.call(officer, 'POST', `/api/v1/imports/${job.id}/validate`, {});
    expect((await settle(officer, job.id)).dryRun).toMatchObject({ update: 1 });
    await t.call(officer, 'POST', `/api/v1/imports/${job.id}/commit`, {});
    expect((await settle(officer, job.id)).committed).toMatchObject({ update: 1 });
    const id = (await t.call(officer, 'GET', `/api/v1/persons?q=${good[0]}`)).json().items[0].id;
    const page = (await t.call(officer, 'GET', `/api/v1/persons/${id}`)).json();
    expect(page.person.phone).toBe('13905439876');
    expect(page.residences.map((r: { toDate: string | null }) => r.toDate)).toEqual(expect.arrayContaining([null, '2025-01-01']));
  });
});

describe('files and encodings', () => {
  it('reads a GB18030 CSV as Excel on Chinese Windows writes it', async () => {
    const text = `${HEADER}\r\n${idNo('19660606', 21)},钱国标,户籍人口,,,,\r\n`;
    // GB18030 bytes of the text: encode through the two-byte table Node's decoder uses, checked by a round trip
    const gb = Buffer.from(
      [...text].flatMap((ch) => {
        if (ch.charCodeAt(0) < 0x80) return [ch.charCodeAt(0)];
        for (let hi = 0x81; hi <= 0xfe; hi++)
          for (let lo = 0x40; lo <= 0xfe; lo++) {
            if (new TextDecoder('gb18030').decode(Buffer.from([hi, lo])) === ch) return [hi, lo];
          }
        throw new Error(`no GB18030 code for ${ch}`);
      }),
    );
    const job = (await upload(officer, 'persons', gb)).json();
    expect(job.headers).toEqual(HEADER.split(','));
    await t.call(officer, 'POST', `/api/v1/imports/${job.id}/validate`, {});
    expect((await settle(officer, job.id)).dryRun).toMatchObject({ valid: 1, create: 1 });
  });

  it('reads an XLSX file filled from the template and flags identity numbers typed as numbers', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('实有人口');
    ws.addRow(['公民身份号码', '姓名*', '人员类别']);
    ws.addRow([idNo('19770707', 31), '周文本', '户籍人口']);
    ws.addRow([Number(idNo('19880808', 32).slice(0, 17) + '1'), '吴数字', '户籍人口']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const job = (await upload(officer, 'persons', buf, XLSX, 'people.xlsx')).json();
    expect(job.fileFormat).toBe('xlsx');
    expect(job.mapping).toMatchObject({ idNumber: 0, name: 1, personType: 2 });
    await t.call(officer, 'POST', `/api/v1/imports/${job.id}/validate`, {});
    const done = await settle(officer, job.id);
    expect(done.dryRun).toMatchObject({ valid: 1, invalid: 1 });
    expect((await issues(officer, job.id))[0]).toMatchObject({ row: 3, field: 'idNumber', reason: expect.stringContaining('文本') });
  });

  it('refuses an old .xls file, an empty file and a file without a header', async () => {
    const xls = await upload(officer, 'persons', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'application/vnd.ms-excel', 'old.xls');
    expect(xls.statusCode).toBe(415);
    expect(xls.json().detail).toContain('.xlsx');
    const empty = await upload(officer, 'persons', '');
    expect(empty.statusCode).toBe(400);
    const noHeader = await upload(officer, 'persons', '\r\n1,2,3\r\n');
    expect(noHeader.statusCode).toBe(400);
    expect(noHeader.json().errors[0].field).toBe('file');
  });

  it('refuses a file over the size limit while it streams, keeping nothing', async () => {
    await expect(storeUpload(t.deps, '00000000-0000-7000-8000-000000000001', Readable.from([Buffer.alloc(64), Buffer.alloc(64)]), 100)).rejects.toMatchObject({ status: 413 });
  });

  it('refuses a mapping that leaves out a required column or names a column twice', async () => {
    const job = (await upload(officer, 'persons', `${HEADER}\r\n`)).json();
    const res = await t.call(officer, 'POST', `/api/v1/imports/${job.id}/validate`, { mapping: { idNumber: 0, phone: 0 } });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['mapping.phone', 'mapping.name']));
  });
});

describe('rights and jurisdiction', () => {
  it('an administrator with the import right but without person.write cannot import people', async () => {
    const res = await upload(admin, 'persons', `${HEADER}\r\n`);
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toContain('person.write');
  });

  it("a job is visible inside its creator's jurisdiction and invisible outside it", async () => {
    const chief = await t.login('chief'); // 彭李派出所: above the officer's community
    const own = (await upload(officer, 'persons', `${HEADER}\r\n`)).json();
    expect((await t.call(chief, 'GET', `/api/v1/imports/${own.id}`)).statusCode).toBe(200);
    const above = (await upload(chief, 'persons', `${HEADER}\r\n`)).json();
    for (const [method, url, body] of [
      ['GET', `/api/v1/imports/${above.id}`],
      ['GET', `/api/v1/imports/${above.id}/issues`],
      ['POST', `/api/v1/imports/${above.id}/validate`, {}],
      ['POST', `/api/v1/imports/${above.id}/cancel`, {}],
    ] as const) {
      expect((await t.call(officer, method, url, body)).statusCode, url).toBe(404);
    }
    const list = (await t.call(officer, 'GET', '/api/v1/imports?pageSize=100')).json();
    expect(list.items.map((j: { id: string }) => j.id)).toContain(own.id);
    expect(list.items.map((j: { id: string }) => j.id)).not.toContain(above.id);
  });
});

describe('interruption', () => {
  it('a commit cut off mid-way resumes after the last finished batch and imports every row exactly once', async () => {
    const n = 9;
    const lines = [HEADER, ...Array.from({ length: n }, (_, i) => `${idNo('19950101', 100 + i)},续导${i},户籍人口,,,,`)];
    const job = (await upload(officer, 'persons', lines.join('\n'))).json();
    await t.call(officer, 'POST', `/api/v1/imports/${job.id}/validate`, {});
    await settle(officer, job.id);
    const before = await personCount();
    // the server's runner is stopped, the commit is taken by a runner that dies after two batches
    await t.app.importRunner.stop();
    await t.call(officer, 'POST', `/api/v1/imports/${job.id}/commit`, {});
    const claimed = (await importsRepository.claimJob(t.deps.db, 'dying-runner', true))!;
    await runPhase(t.deps, claimed, 'dying-runner', { batchRows: 2, stopAfterBatches: 2 }, () => false);
    const half = (await t.call(officer, 'GET', `/api/v1/imports/${job.id}`)).json();
    expect(half.status).toBe('committing');
    expect(half.committed).toMatchObject({ create: 4 });
    expect(await personCount()).toBe(before + 4);
    // its lease runs out; a new runner takes the job over and finishes it
    await sql`UPDATE import_jobs SET heartbeat_at = now() - interval '10 minutes' WHERE id = ${job.id}`.execute(t.deps.db);
    t.app.importRunner.start();
    const done = await settle(officer, job.id);
    expect(done.status).toBe('committed');
    expect(done.committed).toMatchObject({ rows: n, create: n });
    expect(await personCount()).toBe(before + n);
    const ids = await sql<{ ids: string[] }>`SELECT subject_ids AS ids FROM audit_log WHERE action = 'person.import_create' AND detail->>'jobId' = ${job.id}`.execute(t.deps.db);
    const all = ids.rows.flatMap((r) => r.ids);
    expect(new Set(all).size).toBe(n);
    expect(all).toHaveLength(n);
  });

  it('cancelling a validated job removes its file; it can no longer be committed', async () => {
    const job = (await upload(officer, 'persons', `${HEADER}\r\n${idNo('19600101', 41)},取消,户籍人口,,,,\r\n`)).json();
    await t.call(officer, 'POST', `/api/v1/imports/${job.id}/validate`, {});
    await settle(officer, job.id);
    const c = await t.call(officer, 'POST', `/api/v1/imports/${job.id}/cancel`, {});
    expect(c.json().status).toBe('cancelled');
    expect((await t.call(officer, 'POST', `/api/v1/imports/${job.id}/commit`, {})).statusCode).toBe(409);
  });
});

/** Uploads, dry-runs and (unless told otherwise) commits a CSV file; returns the finished job and its report. */
async function runImport(token: string, kind: string, lines: string[], o: { commit?: boolean; skipInvalid?: boolean } = {}) {
  const job = (await upload(token, kind, lines.join('\r\n'))).json();
  expect(job.id, JSON.stringify(job)).toBeTruthy();
  await t.call(token, 'POST', `/api/v1/imports/${job.id}/validate`, {});
  let done = await settle(token, job.id);
  const report = await issues(token, job.id);
  if (o.commit !== false && done.dryRun.valid > 0) {
    const res = await t.call(token, 'POST', `/api/v1/imports/${job.id}/commit`, { skipInvalid: o.skipInvalid ?? true });
    expect(res.statusCode, res.body).toBe(202);
    done = await settle(token, job.id);
  }
  return { job: done, report };
}

/** A valid 统一社会信用代码: the embedded organisation code and the whole code carry their check characters. */
const creditCode = (org8: string) => {
  const body = `91371602${org8}${computeOrgCodeCheckChar(org8)}`;
  return body + computeCreditCheckChar(body);
};

describe('addresses, units and housing', () => {
  const AHEAD = '网格编码,街路巷,门牌号,小区/单位,楼栋,单元,户室,经度,纬度';

  it('addresses: each row spells an address out; missing elements are created once, coordinates updated by code', async () => {
    const lines = [
      AHEAD,
      '371602005001001,渤海二十路,18号,柳园小区,1号楼,1单元,101,117.97,37.38',
      '371602005001001,渤海二十路,18号,柳园小区,1号楼,1单元,102,117.97,37.38',
      '371602005001001,渤海二十路,18号,柳园小区,一号楼,1单元,102,,', // the same room spelled differently: a repeat
      '371602005001001,渤海二十路,18号,柳园小区,1号楼,,abc!,,',
      '371602001001001,渤海七路,9号,,,,,,', // outside the officer's jurisdiction
    ];
    const { job, report } = await runImport(officer, 'addresses', lines);
    expect(job.dryRun).toMatchObject({ rows: 5, valid: 2, invalid: 3, create: 2 });
    expect(report.find((i) => i.row === 4)!.reason).toContain('第 3 行');
    expect(report.find((i) => i.row === 5)).toMatchObject({ field: 'room', column: '户室', value: 'abc!' });
    expect(report.find((i) => i.row === 6)).toMatchObject({ field: 'gridCode', reason: expect.stringContaining('不在您的辖区内') });
    expect(job.committed).toMatchObject({ create: 2 });
    const found = (await t.call(officer, 'GET', `/api/v1/addresses?q=${encodeURIComponent('柳园小区1号楼1单元102室')}`)).json();
    expect(found.items).toHaveLength(1);
    const room = found.items[0];
    expect(room.fullText).toContain('渤海二十路18号柳园小区1号楼1单元102室');
    expect(room).toMatchObject({ lng: 117.97, lat: 37.38 });

    const again = await runImport(officer, 'addresses', lines.slice(0, 3));
    expect(again.job.committed).toMatchObject({ create: 0, update: 0, unchanged: 2 });
    const moved = await runImport(officer, 'addresses', ['地址编码,经度,纬度', `${room.code},117.98,37.39`]);
    expect(moved.job.committed).toMatchObject({ update: 1 });
    expect((await t.call(officer, 'GET', `/api/v1/addresses/${room.id}`)).json()).toMatchObject({ lng: 117.98, lat: 37.39 });
  });

  it('units: upsert by credit code with the GB 32100 check, and an unchanged re-import', async () => {
    const good = creditCode('MA3C4H5J');
    const bad = good.slice(0, 17) + (good[17] === 'A' ? 'B' : 'A');
    const head = '统一社会信用代码,单位名称,重点行业,地址编码,联系电话';
    const lines = [head, `${good},滨州市柳园旅馆有限公司,旅馆业,${rooms[0].code},05433161234`, `${bad},错码商店,,,`];
    const { job, report } = await runImport(officer, 'units', lines);
    expect(job.dryRun).toMatchObject({ valid: 1, invalid: 1, create: 1 });
    expect(report[0]).toMatchObject({ row: 3, field: 'creditCode', column: '统一社会信用代码' });
    expect(job.committed).toMatchObject({ create: 1 });
    const list = (await t.call(officer, 'GET', `/api/v1/units?q=${encodeURIComponent('柳园旅馆')}`)).json();
    expect(list.items[0]).toMatchObject({ creditCode: good, keyIndustry: 'hotel' });
    expect((await runImport(officer, 'units', lines.slice(0, 2))).job.committed).toMatchObject({ unchanged: 1, create: 0 });
    const changed = await runImport(officer, 'units', [head, `${good},滨州市柳园旅馆有限公司,旅馆业,,05433169999`]);
    expect(changed.job.committed).toMatchObject({ update: 1 });
  });

  it('housing: a rental needs a registered landlord and a lease that ends after it starts', async () => {
    const landlord = idNo('19800101', 11); // imported above
    const head = '地址编码,房屋用途,房东公民身份号码,租赁起始日期,租赁截止日期,建筑面积';
    const lines = [
      head,
      `${rooms[1].code},出租,${landlord},2025-03-01,2026-02-28,89.5`,
      `${rooms[2].code},出租,${landlord},2025-03-01,2025-02-01,60`,
      `${rooms[3].code},出租,${idNo('19111111', 99)},2025-03-01,2026-02-28,60`,
      `${rooms[3].code.slice(0, -1)}X,自住,,,,`,
    ];
    const { job, report } = await runImport(officer, 'housing', lines);
    expect(job.dryRun).toMatchObject({ valid: 1, invalid: 3 });
    expect(report.find((i) => i.row === 3)).toMatchObject({ field: 'leaseTo', reason: '租赁结束日期须晚于开始日期' });
    expect(report.find((i) => i.row === 4)).toMatchObject({ field: 'landlordIdNumber', reason: expect.stringContaining('未在本辖区登记') });
    expect(report.find((i) => i.row === 5)).toMatchObject({ field: 'addressCode' });
    expect(job.committed).toMatchObject({ create: 1 });
    const h = (await t.call(officer, 'GET', `/api/v1/addresses/${rooms[1].id}/housing`)).json();
    expect(h.housing).toMatchObject({ use: 'rent', leaseFrom: '2025-03-01', leaseTo: '2026-02-28', areaM2: 89.5 });
    expect((await runImport(officer, 'housing', lines.slice(0, 2))).job.committed).toMatchObject({ unchanged: 1 });
  });
});

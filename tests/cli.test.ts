import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { connectPGlite } from '../src/server/db/connect.js';
import { DataDirLockedError } from '../src/server/db/lock.js';

// The `fengqiao` command against its own embedded data folder, as an operator runs it.
const dir = mkdtempSync(join(tmpdir(), 'fq-cli-'));
const env = { ...process.env, DATA_DIR: dir, DEMO_PASSWORD: 'Fengqiao@2026', LOG_LEVEL: 'warn', FENGQIAO_ENV: 'development', VITEST: '' };

/** Runs the CLI in a child process without blocking this worker's event loop. */
function cli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { env, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err: stderr }),
    );
  });
}

beforeAll(async () => {
  const seeded = await cli('seed');
  expect(seeded.code, seeded.err).toBe(0);
  expect(seeded.out).toContain('14 个演示账号');
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fengqiao CLI', () => {
  it('migrate is idempotent and seed does not duplicate the district', async () => {
    expect((await cli('migrate')).out).toContain('已是最新');
    expect((await cli('seed')).out).toContain('未重复创建');
    const root = await cli('org-root', '--code', '371600', '--name', '滨州市公安局');
    expect(root.code).toBe(1);
    expect(root.err).toContain('已被使用');
    const badRoot = await cli('org-root', '--code', '999900', '--name', '不存在');
    expect(badRoot.err).toContain('市局代码');
  });

  it('creates a user and resets a password', async () => {
    const c = await cli('user', 'create', '--username', 'zhangsan', '--name', '张三', '--org', '371602005', '--role', 'officer', '--password', 'Initial123');
    expect(c.code, c.err).toBe(0);
    const dup = await cli('user', 'create', '--username', 'zhangsan', '--name', '张三', '--org', '371602005', '--role', 'officer', '--password', 'Initial123');
    expect(dup.code).toBe(1);
    expect(dup.err).toContain('已被使用');
    const weak = await cli('user', 'reset-password', '--username', 'zhangsan', '--password', 'abc');
    expect(weak.code).toBe(1);
    expect(weak.err).toContain('密码');
    expect((await cli('user', 'reset-password', '--username', 'zhangsan', '--password', 'Another123')).code).toBe(0);
  });

  it('audit verify exits 0 on an intact log and 1 naming the first broken row after tampering', async () => {
    const ok = await cli('audit', 'verify');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/审计日志完好：已校验 \d+ 条记录/);

    const db = await connectPGlite({ dir });
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(db.db);
    await sql`UPDATE audit_log SET purpose = '篡改' WHERE seq = 5`.execute(db.db);
    await db.close();

    const broken = await cli('audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.err).toContain('第 5 条记录');
  });

  it('refuses a second process on the same data folder with a clear message', async () => {
    const db = await connectPGlite({ dir });
    try {
      const r = await cli('audit', 'verify');
      expect(r.code).toBe(1);
      expect(r.err).toContain(`已被进程 ${process.pid} 使用`);
      await expect(connectPGlite({ dir })).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      await db.close();
    }
  });
});

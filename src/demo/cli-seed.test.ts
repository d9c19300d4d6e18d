import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `fengqiao seed --people N --seed S` against its own embedded data folders.
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function cli(dir: string, ...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const env = { ...process.env, DATA_DIR: dir, DEMO_PASSWORD: 'Fengqiao@2026', LOG_LEVEL: 'warn', FENGQIAO_ENV: 'development', VITEST: '' };
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { env, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err: stderr }),
    );
  });
}

const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'fq-seed-'));
  dirs.push(d);
  return d;
};

describe('fengqiao seed --people --seed', () => {
  it('builds the district and the registry, then refuses to duplicate', async () => {
    const dir = fresh();
    const first = await cli(dir, 'seed', '--people', '300', '--seed', '9');
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('14 个演示账号');
    expect(first.out).toContain('300 / 300 人');
    expect(first.out).toMatch(/已生成一标三实：300 人/);
    const again = await cli(dir, 'seed', '--people', '300');
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('未重复创建');
  }, 180_000);

  it('adds the registry to a district that has no people yet, and rejects a bad count', async () => {
    const dir = fresh();
    const district = await cli(dir, 'seed', '--people', '0');
    expect(district.code, district.err).toBe(0);
    expect(district.out).not.toContain('一标三实');
    const bad = await cli(dir, 'seed', '--people', 'many');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--people');
    const added = await cli(dir, 'seed', '--people', '200', '--seed', '3');
    expect(added.code, added.err).toBe(0);
    expect(added.out).toMatch(/已生成一标三实：200 人/);
    const verify = await cli(dir, 'audit', 'verify');
    expect(verify.code, verify.err).toBe(0);
  }, 180_000);
});

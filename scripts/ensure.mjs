#!/usr/bin/env node
// Prepares a fresh clone using only Node's standard library: installs dependencies when they are missing
// or older than the lock file, and (with --build) rebuilds when any source is newer than the last build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(args, what) {
  console.log(`› ${what}…`);
  const r = spawnSync(npm, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    console.error(`✗ ${what}失败（npm ${args.join(' ')} 退出码 ${r.status}）`);
    process.exit(r.status ?? 1);
  }
}

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

function newest(dir) {
  let max = 0;
  if (!existsSync(dir)) return 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return max;
}

export function ensureInstalled() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker) || mtime(join(root, 'package-lock.json')) > mtime(marker)) {
    run(['ci', '--no-audit', '--no-fund'], '安装依赖');
  }
}

export function ensureBuilt() {
  const stamp = join(root, 'dist', '.build-stamp');
  const sources = Math.max(
    newest(join(root, 'src')),
    mtime(join(root, 'package-lock.json')),
    mtime(join(root, 'vite.config.ts')),
    mtime(join(root, 'tsconfig.build.json')),
  );
  if (!existsSync(join(root, 'dist', 'web', 'index.html')) || !existsSync(join(root, 'dist', 'cli', 'index.js')) || sources > mtime(stamp)) {
    run(['run', 'build'], '构建');
    writeFileSync(stamp, new Date().toISOString());
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureInstalled();
  if (process.argv.includes('--build')) ensureBuilt();
}

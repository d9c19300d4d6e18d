/// <reference types="node" />
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
  }
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli/index.js');
const WEB = join(ROOT, 'dist/web/index.html');
const LOG = join(ROOT, '.tmp/e2e/server.log');
const START_TIMEOUT_MS = 90_000;

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

/** The server's environment: this process's, less anything that would make it a test or point it elsewhere. */
function serverEnv(port: number, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VITEST|TEST|NODE_ENV$|DATABASE_URL$|FENGQIAO_|DEMO_PASSWORD$|PORT$|HOST$|DATA_DIR$)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO_PASSWORD: 'Fengqiao@2026', LOG_LEVEL: 'info' };
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was healthy`);
    }
    try {
      const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not healthy after ${START_TIMEOUT_MS / 1000} s (${last})`);
}

export default async function setup(project: TestProject) {
  for (const f of [CLI, WEB]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` before the end-to-end tests`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'fq-e2e-'));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  mkdirSync(join(ROOT, '.tmp/e2e'), { recursive: true });
  mkdirSync(join(ROOT, '.tmp/screens'), { recursive: true });
  const log = createWriteStream(LOG);
  const child = spawn(process.execPath, [CLI, 'start'], {
    cwd: ROOT,
    env: serverEnv(port, dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);

  const stop = async () => {
    if (child.pid && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
  };

  const t0 = Date.now();
  try {
    await waitHealthy(baseURL, child);
  } catch (e) {
    await stop();
    const tail = existsSync(LOG) ? readFileSync(LOG, 'utf8').split('\n').slice(-40).join('\n') : '';
    throw new Error(`${(e as Error).message}\n--- server log (${LOG}) ---\n${tail}`);
  }
  console.log(`e2e: server pid ${child.pid} healthy at ${baseURL} after ${((Date.now() - t0) / 1000).toFixed(1)} s (log: .tmp/e2e/server.log)`);
  project.provide('baseURL', baseURL);
  return stop;
}

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';

export type Environment = 'development' | 'production' | 'test';

export interface Config {
  env: Environment;
  host: string;
  port: number;
  dataDir: string;
  databaseUrl?: string;
  publicBaseUrl: string;
  demoPassword: string;
  demoPasswordIsDefault: boolean;
  /** 32-byte keys: one to encrypt identity numbers, one for the blind index, one to sign/pepper tokens. */
  keys: { data: Buffer; index: Buffer; token: Buffer };
  keysAreGenerated: boolean;
  sessionTtlHours: number;
  logLevel: string;
  version: string;
}

export const DEFAULT_DEMO_PASSWORD = 'Fengqiao@2026';

export class ConfigError extends Error {}

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

function parseKey(name: string, value: string): Buffer {
  const buf = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (buf.length !== 32) throw new ConfigError(`${name} 必须是 32 字节密钥（64 位十六进制或 base64）`);
  return buf;
}

/** Demo keys live in DATA_DIR so that a restart can still decrypt what it stored. */
function loadOrCreateDemoKeys(dataDir: string): Config['keys'] {
  const file = join(dataDir, 'demo-keys.json');
  if (existsSync(file)) {
    const k = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    return { data: Buffer.from(k.data, 'hex'), index: Buffer.from(k.index, 'hex'), token: Buffer.from(k.token, 'hex') };
  }
  mkdirSync(dataDir, { recursive: true });
  const keys = { data: randomBytes(32), index: randomBytes(32), token: randomBytes(32) };
  writeFileSync(
    file,
    JSON.stringify({ data: keys.data.toString('hex'), index: keys.index.toString('hex'), token: keys.token.toString('hex') }),
    { mode: 0o600 },
  );
  return keys;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const mode: Environment =
    env.FENGQIAO_ENV === 'production' ? 'production' : env.FENGQIAO_ENV === 'test' || env.VITEST ? 'test' : 'development';
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT 无效：${env.PORT}`);
  const host = env.HOST ?? '127.0.0.1';
  const dataDir = resolve(env.DATA_DIR ?? './data');
  const databaseUrl = env.DATABASE_URL || undefined;

  let keys: Config['keys'];
  let keysAreGenerated = false;
  if (env.FENGQIAO_DATA_KEY && env.FENGQIAO_INDEX_KEY && env.FENGQIAO_TOKEN_KEY) {
    keys = {
      data: parseKey('FENGQIAO_DATA_KEY', env.FENGQIAO_DATA_KEY),
      index: parseKey('FENGQIAO_INDEX_KEY', env.FENGQIAO_INDEX_KEY),
      token: parseKey('FENGQIAO_TOKEN_KEY', env.FENGQIAO_TOKEN_KEY),
    };
  } else if (mode === 'production') {
    throw new ConfigError('生产环境必须设置 FENGQIAO_DATA_KEY、FENGQIAO_INDEX_KEY、FENGQIAO_TOKEN_KEY（不得使用演示密钥）');
  } else {
    keys = loadOrCreateDemoKeys(dataDir);
    keysAreGenerated = true;
  }

  const demoPasswordIsDefault = !env.DEMO_PASSWORD;
  const config: Config = {
    env: mode,
    host,
    port,
    dataDir,
    databaseUrl,
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/$/, ''),
    demoPassword: env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD,
    demoPasswordIsDefault,
    keys,
    keysAreGenerated,
    sessionTtlHours: Number(env.SESSION_TTL_HOURS ?? 12),
    logLevel: env.LOG_LEVEL ?? (mode === 'test' ? 'silent' : 'info'),
    version: readVersion(),
    ...overrides,
  };
  return config;
}

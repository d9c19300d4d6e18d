import { loadConfig } from './config.js';
import { buildApp } from './app.js';
import { ensureDemo, makeLogger, openDeps } from './bootstrap.js';
import { DEMO_ACCOUNTS } from '../demo/district.js';
import { BUILTIN_ROLES } from './platform/access/roles.js';

/** Process entry: config → database → app → listen. */
export async function main(): Promise<void> {
  const config = loadConfig();
  const log = makeLogger(config);
  const deps = await openDeps(config, log);
  const seeded = await ensureDemo(deps);
  const app = await buildApp(deps);
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await app.close();
    await deps.database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ host: config.host, port: config.port });
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  const roleName = new Map(BUILTIN_ROLES.map((r) => [r.code, r.name]));
  const lines = [
    '',
    `枫桥 Fengqiao ${config.version} — 综治警务一体化平台`,
    `  控制台   ${url}/`,
    `  接口文档 ${url}/api/docs`,
    `  数据库   ${deps.database.kind === 'pglite' ? `嵌入式 PGlite（${config.dataDir}）` : 'PostgreSQL'}`,
  ];
  if (seeded) lines.push(`  已创建演示辖区：${seeded.units} 个单位，${seeded.departments} 个部门`);
  if (seeded?.registry) {
    const r = seeded.registry;
    lines.push(`  已生成一标三实演示数据：${r.people} 人、${r.addresses} 个标准地址、${r.plates} 块门牌、${r.units} 个单位`);
  }
  if (config.env !== 'production') {
    lines.push(`  演示账号（密码 ${config.demoPassword}${config.demoPasswordIsDefault ? '，可用 DEMO_PASSWORD 修改' : ''}）：`);
    for (const a of DEMO_ACCOUNTS) lines.push(`    ${a.username.padEnd(12)} ${roleName.get(a.role) ?? a.role}  ${a.name}`);
  }
  console.log(lines.join('\n') + '\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: Error) => {
    console.error(`启动失败：${e.message}`);
    process.exit(1);
  });
}


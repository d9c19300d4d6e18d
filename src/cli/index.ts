import { Command } from 'commander';
import { loadConfig } from '../server/config.js';
import { connect } from '../server/db/connect.js';
import { migrate, rollback } from '../server/db/migrate.js';
import { ensureDemo, makeLogger, openDeps } from '../server/bootstrap.js';
import { main as startServer } from '../server/main.js';
import { systemContext } from '../server/platform/access/context.js';
import { PERMISSIONS } from '../server/platform/access/permissions.js';
import { verifyAuditChain } from '../server/platform/audit/service.js';
import { createUser, resetPassword } from '../server/modules/users/service.js';
import { usersRepository } from '../server/modules/users/repository.js';
import { orgRepository } from '../server/modules/org/repository.js';
import { createRootUnit } from '../server/modules/org/service.js';
import { DomainError } from '../server/platform/errors/index.js';
import { DEMO_COUNTY } from '../demo/district.js';
import { DEMO_REGISTRY_PEOPLE, DEMO_REGISTRY_SEED, seedDemoRegistry, type RegistryResult } from '../demo/registry.js';
import { bulkRepository } from '../demo/bulk-repository.js';

const countPersons = bulkRepository.countPersons.bind(bulkRepository);

const program = new Command();
program.name('fengqiao').description('枫桥 综治警务一体化平台 命令行').showHelpAfterError();

async function withDeps<T>(fn: (deps: Awaited<ReturnType<typeof openDeps>>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const deps = await openDeps(config, makeLogger({ ...config, logLevel: 'warn' }));
  try {
    return await fn(deps);
  } finally {
    await deps.database.close();
  }
}

const system = () => systemContext(Object.keys(PERMISSIONS));

program
  .command('start')
  .description('迁移数据库、首次运行时创建演示辖区，并启动服务')
  .action(() => startServer());

program
  .command('migrate')
  .description('执行数据库迁移')
  .option('--rollback <steps>', '回滚最近的若干个迁移', (v) => Number(v))
  .action(async (opts: { rollback?: number }) => {
    const config = loadConfig();
    const database = await connect(config);
    try {
      if (opts.rollback) console.log(`已回滚：${(await rollback(database, opts.rollback)).join(', ') || '无'}`);
      else console.log(`已执行：${(await migrate(database)).join(', ') || '无（已是最新）'}`);
    } finally {
      await database.close();
    }
  });

program
  .command('seed')
  .description('在空数据库中创建演示辖区（市局、分局、派出所、警务区、网格、部门与各角色演示账号）及一标三实演示数据；已有辖区而无人口时只补充一标三实')
  .option('--people <n>', '实有人口数（地址、房屋、单位随之按比例生成），默认 5000', (v) => Number(v))
  .option('--seed <s>', '随机种子：同一种子生成相同的数据', (v) => Number(v))
  .action((o: { people?: number; seed?: number }) =>
    withDeps(async (deps) => {
      const people = o.people ?? DEMO_REGISTRY_PEOPLE;
      const seed = o.seed ?? DEMO_REGISTRY_SEED;
      if (!Number.isInteger(people) || people < 0) throw new Error('--people 应为非负整数');
      if (!Number.isInteger(seed)) throw new Error('--seed 应为整数');
      let last = 0;
      const onProgress = (p: { done: number; total: number }) => {
        const now = Date.now();
        if (now - last < 1000 && p.done < p.total) return;
        last = now;
        process.stdout.write(`一标三实：${p.done.toLocaleString('en')} / ${p.total.toLocaleString('en')} 人（${p.total ? Math.floor((p.done / p.total) * 100) : 100}%）\n`);
      };
      const report = (r: RegistryResult) =>
        console.log(
          `已生成一标三实：${r.people} 人（流动人口 ${r.floating}）、${r.addresses} 个标准地址、${r.plates} 块门牌、${r.housing} 处房屋、${r.units} 个单位、${r.employments} 条从业记录，用时 ${(r.ms / 1000).toFixed(1)} 秒（${Math.round(r.people / Math.max(r.ms / 1000, 0.001))} 人/秒）`,
        );
      const r = await ensureDemo(deps, { people, seed, onProgress });
      if (r) {
        console.log(`已创建 ${r.units} 个单位、${r.departments} 个部门、${r.accounts.length} 个演示账号（密码 ${deps.config.demoPassword}）`);
        if (r.registry) report(r.registry);
        return;
      }
      if (deps.config.env !== 'production' && (await countPersons(deps.db)) === 0 && (await orgRepository.byCode(deps.db, DEMO_COUNTY)) && people > 0) {
        report(await seedDemoRegistry(deps, { people, seed, onProgress }));
        return;
      }
      console.log('数据库中已有组织机构和人口数据，未重复创建演示数据。');
    }),
  );

program
  .command('org-root')
  .description('创建组织机构的顶层单位（市局），用于生产环境首次部署')
  .requiredOption('--code <code>', '市局代码：地市代码 + 00，如 371600')
  .requiredOption('--name <name>', '名称，如 滨州市公安局')
  .action((o: { code: string; name: string }) =>
    withDeps(async (deps) => {
      const unit = await createRootUnit(deps, system(), { code: o.code, name: o.name });
      console.log(`已创建 ${unit.name}（${unit.code}）；其下的分局、派出所等可在控制台「组织机构」中建立`);
    }),
  );

const user = program.command('user').description('用户管理');
user
  .command('create')
  .description('创建用户')
  .requiredOption('--username <name>')
  .requiredOption('--name <displayName>', '姓名')
  .requiredOption('--org <code>', '所属单位代码，如 371602005')
  .requiredOption('--role <roles...>', '角色代码，如 admin officer')
  .option('--password <password>', '初始密码（也可用环境变量 FENGQIAO_NEW_PASSWORD）')
  .option('--phone <phone>')
  .action((o: { username: string; name: string; org: string; role: string[]; password?: string; phone?: string }) =>
    withDeps(async (deps) => {
      const password = o.password ?? process.env.FENGQIAO_NEW_PASSWORD;
      if (!password) throw new Error('请用 --password 或 FENGQIAO_NEW_PASSWORD 提供初始密码');
      const unit = await orgRepository.byCode(deps.db, o.org);
      if (!unit) throw new Error(`单位代码 ${o.org} 不存在`);
      const u = await createUser(deps, system(), {
        username: o.username,
        displayName: o.name,
        password,
        orgUnitId: unit.id,
        phone: o.phone ?? null,
        roles: o.role,
        mustChangePassword: true,
      });
      console.log(`已创建用户 ${u.username}（${u.displayName}），首次登录须修改密码`);
    }),
  );
user
  .command('reset-password')
  .description('重置用户密码（下次登录须修改）并注销其全部会话')
  .requiredOption('--username <name>')
  .option('--password <password>', '新密码（也可用环境变量 FENGQIAO_NEW_PASSWORD）')
  .action((o: { username: string; password?: string }) =>
    withDeps(async (deps) => {
      const password = o.password ?? process.env.FENGQIAO_NEW_PASSWORD;
      if (!password) throw new Error('请用 --password 或 FENGQIAO_NEW_PASSWORD 提供新密码');
      const found = await usersRepository.usernameTaken(deps.db, o.username.toLowerCase());
      if (!found) throw new Error(`用户 ${o.username} 不存在`);
      await resetPassword(deps, system(), found.id, password);
      console.log(`已重置 ${o.username} 的密码，并注销其全部会话`);
    }),
  );

const audit = program.command('audit').description('审计日志');
audit
  .command('verify')
  .description('校验审计日志哈希链：完好时退出码 0，否则指出第一条被破坏的记录并以 1 退出')
  .action(async () => {
    const config = loadConfig();
    const database = await connect(config);
    try {
      const r = await verifyAuditChain(database.db);
      if (r.ok) console.log(`审计日志完好：已校验 ${r.checked} 条记录`);
      else {
        console.error(`审计日志被破坏：第 ${r.firstBrokenSeq} 条记录 — ${r.reason}（此前 ${r.checked} 条完好）`);
        process.exitCode = 1;
      }
    } finally {
      await database.close();
    }
  });

program.parseAsync().catch((e: unknown) => {
  if (e instanceof DomainError) {
    console.error(`错误：${e.detail ?? e.code}`);
    for (const f of e.errors ?? []) console.error(`  ${f.field}: ${f.message}`);
  } else console.error(`错误：${(e as Error).message}`);
  process.exitCode = 1;
});

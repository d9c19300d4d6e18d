import { seedDemoIncidents } from '../demo/incidents.js';
import { seedDemoMapAssets } from '../demo/map-assets.js';
import { seedDemoPatrol } from '../demo/patrol.js';
import { seedDemoCommand } from '../demo/command.js';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import { connect, type Database } from './db/connect.js';
import { migrate } from './db/migrate.js';
import { ensureFieldCatalogue } from './modules/field/collection/catalogue.js';
import { ensureIncidentCategories } from './modules/incidents/catalogue.js';
import { ensureWhistleScenarios } from './modules/command/scenarios.js';
import type { Deps } from './deps.js';
import { OutboxSmsSender, WebhookSmsSender, type SmsSender } from './platform/notify/sms.js';
import { syncBuiltinRoles } from './modules/users/service.js';
import { countUnits } from './modules/org/service.js';
import { DEMO_ACCOUNTS, seedDemoDistrict, type SeedResult } from '../demo/district.js';
import { usersRepository } from './modules/users/repository.js';
import { seedDemoField } from '../demo/field.js';
import { DEMO_REGISTRY_PEOPLE, DEMO_REGISTRY_SEED, seedDemoRegistry, type RegistryOptions, type RegistryResult } from '../demo/registry.js';

export class StartupRefusedError extends Error {}

export function makeLogger(config: Config): FastifyBaseLogger {
  return pino({ level: config.logLevel, base: { service: 'fengqiao' } }) as unknown as FastifyBaseLogger;
}

function makeSms(config: Config, database: Database, log: FastifyBaseLogger): SmsSender {
  const url = process.env.SMS_WEBHOOK_URL;
  if (url) return new WebhookSmsSender(url, process.env.SMS_WEBHOOK_TOKEN);
  if (config.env === 'production') {
    throw new StartupRefusedError('生产环境必须配置短信网关 SMS_WEBHOOK_URL（开发发件箱不得用于生产）');
  }
  return new OutboxSmsSender(database.db, log);
}

/** Connects, migrates and prepares the services' dependencies. */
export async function openDeps(config: Config, log = makeLogger(config), database?: Database): Promise<Deps> {
  const db = database ?? (await connect(config));
  try {
    const applied = await migrate(db);
    if (applied.length) log.info({ applied }, 'migrations applied');
    const deps: Deps = { config, database: db, db: db.db, log, sms: makeSms(config, db, log) };
    await syncBuiltinRoles(deps);
    await ensureFieldCatalogue(deps);
    await ensureIncidentCategories(deps);
    await ensureWhistleScenarios(deps);
    if (config.env === 'production') await refuseDemoAccounts(deps);
    return deps;
  } catch (e) {
    if (!database) await db.close();
    throw e;
  }
}

async function refuseDemoAccounts(deps: Deps) {
  for (const a of DEMO_ACCOUNTS) {
    if (await usersRepository.usernameTaken(deps.db, a.username)) {
      throw new StartupRefusedError(`生产环境不得保留演示账号「${a.username}」：请删除或改名后再启动`);
    }
  }
}

export interface DemoOptions extends Omit<RegistryOptions, 'people'> {
  /**
   * People in the demo registry (addresses, housing and units are scaled to it). Default 5,000, but 0 in the
   * test environment: the suite's template keeps an empty registry and its tests build what they need.
   */
  people?: number;
}

/** Loads the demo district and its registry into an empty database (first run outside production). */
export async function ensureDemo(deps: Deps, opts: DemoOptions = {}): Promise<(SeedResult & { registry?: RegistryResult }) | undefined> {
  if (deps.config.env === 'production') return undefined;
  if ((await countUnits(deps)) > 0) return undefined;
  const district = await seedDemoDistrict(deps, deps.config.demoPassword);
  const people = opts.people ?? (deps.config.env === 'test' ? 0 : DEMO_REGISTRY_PEOPLE);
  if (people <= 0) return district;
  const registry = await seedDemoRegistry(deps, { ...opts, people, seed: opts.seed ?? DEMO_REGISTRY_SEED });
  // routing rules, task templates and this month's tasks, and some items collected by the demo grid worker
  await seedDemoField(deps);
  // 情指行: two years and a month of incidents, cameras and routes, patrol plans and teams, directives and whistles
  await seedDemoIncidents(deps);
  await seedDemoMapAssets(deps);
  await seedDemoPatrol(deps);
  await seedDemoCommand(deps);
  return { ...district, registry };
}

import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../server/deps.js';
import type { DirectiveLevel } from '../server/db/schema.js';
import type { RequestContext } from '../server/platform/access/context.js';
import { staffPrincipal } from '../server/platform/auth/principal.js';
import { notificationsRepository } from '../server/platform/notify/notifications-repository.js';
import { CommandRunner } from '../server/modules/command/runner.js';
import { ensureWhistleScenarios } from '../server/modules/command/scenarios.js';
import { endDirective, issueDirective, reportTarget, signTarget } from '../server/modules/command/directives.js';
import { confirmWhistle, raiseWhistle, respond } from '../server/modules/command/whistles.js';
import { directivesRepository, whistlesRepository } from '../server/modules/command/repository.js';
import { inboxRepository } from '../server/modules/notifications/repository.js';

/**
 * Demo data of this part of 情指行, loaded after the demo incidents (src/demo/incidents.ts): four-colour directives
 * of the last weeks to the three stations and 刑事侦查大队 with sign-offs and feedback (some late, some overdue), and
 * whistles of 彭李派出所 in each state. Everything goes through the services at the time it happened (the runner
 * ticks before each step, so escalations fall where they would have); units without a demo account sign at their
 * duty desk (no named signer). Texts are not sent, and notifications about finished matters are marked read.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const SESSION = '00000000-0000-7000-8000-00000000c0dd';

type Step = { at: number; run: () => Promise<unknown> };

export async function seedDemoCommand(deps: Deps, opts: { now?: Date } = {}): Promise<void> {
  await ensureWhistleScenarios(deps);
  const quiet: Deps = { ...deps, sms: { name: 'demo-quiet', send: async () => {} } };
  const now = (opts.now ?? new Date()).getTime();
  const db = deps.db;
  const user = async (username: string): Promise<RequestContext | undefined> => {
    const u = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
    const p = u ? await staffPrincipal(deps, u.id, SESSION) : undefined;
    return p ? { principal: p, ip: 'local', userAgent: 'fengqiao-demo' } : undefined;
  };
  const command = await user('command');
  const chief = await user('chief');
  const officer = await user('officer');
  if (!command || !chief || !officer) return;
  const unit = async (code: string) => (await db.selectFrom('org_units').select('id').where('code', '=', code).executeTakeFirst())?.id;
  const stations = (await Promise.all(['371602005', '371602001', '371602004'].map(unit))).filter((x): x is string => !!x);
  const community = await unit('371602005001');
  const xingzhen = (await db.selectFrom('departments').select('id').where('name', '=', '刑事侦查大队').executeTakeFirst())?.id;
  if (stations.length < 3 || !community || !xingzhen) return;
  const [s005, s001, s004] = stations as [string, string, string];

  const runner = new CommandRunner(quiet, { pollMs: 60_000 });
  const handlerCtx = new Map<string, RequestContext | null>();
  /** A demo account that may act for a directive target or a whistle department, or null (the duty desk). */
  const handler = async (key: string, who: Parameters<typeof notificationsRepository.recipients>[1]) => {
    if (!handlerCtx.has(key)) {
      const [first] = await notificationsRepository.recipients(db, who);
      const p = first ? await staffPrincipal(deps, first.id, SESSION) : undefined;
      handlerCtx.set(key, p ? { principal: p, ip: 'local', userAgent: 'fengqiao-demo' } : null);
    }
    return handlerCtx.get(key)!;
  };

  const steps: Step[] = [];
  const finished: string[] = [];

  // ---- directives ---------------------------------------------------------------------------------------------
  interface TargetPlan {
    sign?: number;
    report?: number;
    feedback?: string;
  }
  interface DirectivePlan {
    ago: number;
    level: DirectiveLevel;
    title: string;
    content: string;
    actions: string;
    deadlineAfter: number;
    units: Array<[string, TargetPlan]>;
    depts?: Array<[string, TargetPlan]>;
    close?: number;
  }
  const plans: DirectivePlan[] = [
    {
      ago: 25 * DAY,
      level: 'red',
      title: '节日期间加强重点部位巡逻防控',
      content: '节日期间人员流动大，商圈、车站、学校周边治安压力上升。',
      actions: '1. 各所每日晚高峰安排两组巡逻；2. 重点部位视频巡控每小时一次；3. 每日 18 时前反馈落实情况。',
      deadlineAfter: 2 * DAY,
      units: [
        [s005, { sign: 6 * MIN, report: 20 * HOUR, feedback: '已安排夜间巡逻两组，重点部位视频巡控到位。' }],
        [s001, { sign: 9 * MIN, report: 26 * HOUR, feedback: '巡逻力量已落实，未发现异常。' }],
        [s004, { sign: 14 * MIN, report: 2 * DAY + 5 * HOUR, feedback: '巡防已落实（反馈延迟）。' }],
      ],
      depts: [[xingzhen, { sign: 11 * MIN, report: 30 * HOUR, feedback: '刑侦便衣组已在商圈布控。' }]],
      close: 3 * DAY,
    },
    {
      ago: 18 * DAY,
      level: 'orange',
      title: '电信网络诈骗高发预警',
      content: '近一周辖区冒充客服退款类诈骗警情明显上升，受害人以老年人为主。',
      actions: '1. 社区民警入户宣传不少于 50 户；2. 对银行网点开展劝阻提示；3. 反馈宣传和劝阻情况。',
      deadlineAfter: 4 * DAY,
      units: [
        [s005, { sign: 20 * MIN, report: 3 * DAY, feedback: '入户宣传 68 户，银行网点劝阻 2 起。' }],
        [s001, { sign: 25 * MIN, report: 3 * DAY + 4 * HOUR, feedback: '入户宣传 55 户。' }],
        [s004, { sign: 50 * MIN }],
      ],
    },
    {
      ago: 12 * DAY,
      level: 'blue',
      title: '辖区电动车盗窃案件上升',
      content: '学苑社区周边夜间电动车被盗警情增多。',
      actions: '1. 排查无监控的停车点；2. 提醒群众加装防盗锁；3. 刑侦串并研判。',
      deadlineAfter: 5 * DAY,
      units: [
        [s005, { sign: 40 * MIN, report: 2 * DAY, feedback: '排查停车点 12 处，张贴提示 40 份。' }],
        [community, { sign: 55 * MIN, report: 2 * DAY + 3 * HOUR, feedback: '社区已加装两处监控，巡逻频次提高。' }],
      ],
      depts: [[xingzhen, { sign: 30 * MIN, report: 4 * DAY, feedback: '已串并 5 起，锁定嫌疑人 1 名。' }]],
      close: 6 * DAY,
    },
    {
      ago: 9 * DAY,
      level: 'green',
      title: '夏季防溺水安全宣传',
      content: '暑期将至，河道、坑塘周边溺水风险上升。',
      actions: '1. 在危险水域设置警示；2. 联合学校开展宣传；3. 反馈宣传情况。',
      deadlineAfter: 6 * DAY,
      units: [
        [s005, { sign: 3 * HOUR, report: 4 * DAY, feedback: '设置警示牌 6 块，进校宣传 2 场。' }],
        [s001, { sign: 5 * HOUR, report: 5 * DAY, feedback: '危险水域均已设置警示。' }],
        [s004, { sign: 20 * HOUR }],
      ],
    },
    {
      ago: 5 * DAY,
      level: 'red',
      title: '在逃人员协查',
      content: '一名在逃人员可能在辖区出现，体貌特征见附件。',
      actions: '1. 对旅馆、网吧开展核查；2. 发现线索立即报告；3. 当日反馈核查情况。',
      deadlineAfter: 1 * DAY,
      units: [[s005, { sign: 4 * MIN, report: 9 * HOUR, feedback: '核查旅馆 8 家、网吧 3 家，未发现。' }]],
      depts: [[xingzhen, { sign: 3 * MIN, report: 6 * HOUR, feedback: '已布控，暂无线索。' }]],
    },
    {
      ago: 2 * DAY,
      level: 'orange',
      title: '重大活动期间安保工作',
      content: '本周末辖区体育馆举办大型活动，预计人员过万。',
      actions: '1. 活动周边交通疏导；2. 安排备勤力量；3. 活动结束后反馈。',
      deadlineAfter: 3 * DAY,
      units: [
        [s005, { sign: 45 * MIN }],
        [s001, { sign: 12 * MIN, report: 1 * DAY, feedback: '备勤 10 人已落实。' }],
        [s004, {}],
      ],
    },
    {
      ago: 3 * HOUR,
      level: 'blue',
      title: '校园周边交通秩序整治',
      content: '开学期间学校周边早晚高峰拥堵，存在安全隐患。',
      actions: '1. 上下学时段安排护学岗；2. 反馈护学岗设置情况。',
      deadlineAfter: 2 * DAY,
      units: [
        [s005, {}],
        [s001, { sign: 50 * MIN }],
      ],
      depts: [[xingzhen, { sign: 30 * MIN }]],
    },
    {
      ago: 40 * MIN,
      level: 'red',
      title: '暴雨天气防汛预警',
      content: '气象台发布暴雨橙色预警，预计今晚至明晨有强降水。',
      actions: '1. 对低洼地段、地下通道巡查；2. 备勤力量在岗；3. 发现险情立即报告并反馈。',
      deadlineAfter: 12 * HOUR,
      units: [
        [s005, {}],
        [s001, { sign: 8 * MIN }],
        [s004, {}],
      ],
    },
  ];

  for (const p of plans) {
    const issuedAt = now - p.ago;
    // issued as an ordinary step, so the runner has caught up with everything before it
    const holder: { id?: string; targets?: Array<{ id: string; orgUnitId: string | null; departmentId: string | null }> } = {};
    steps.push({
      at: issuedAt,
      run: async () => {
        const d = await issueDirective(
          quiet,
          command,
          {
            level: p.level,
            title: p.title,
            content: p.content,
            actions: p.actions,
            deadline: new Date(issuedAt + p.deadlineAfter).toISOString(),
            orgUnitIds: p.units.map(([u]) => u),
            departmentIds: (p.depts ?? []).map(([d]) => d),
          },
          new Date(issuedAt),
        );
        holder.id = d.id;
        holder.targets = d.targets;
        if (p.close || p.ago > 7 * DAY) finished.push(d.id);
      },
    });
    const targetOf = (key: string) => holder.targets!.find((x) => x.orgUnitId === key || x.departmentId === key)!.id;
    for (const [key, plan] of [...p.units, ...(p.depts ?? [])]) {
      const isDept = key === xingzhen;
      const who = isDept ? ({ permission: 'directive.handle', departmentId: key } as const) : ({ permission: 'directive.handle', orgUnitId: key } as const);
      if (plan.sign !== undefined) {
        steps.push({
          at: issuedAt + plan.sign,
          run: async () => {
            const ctx = await handler(`d:${key}`, who);
            const at = new Date(issuedAt + plan.sign!);
            if (ctx) await signTarget(quiet, ctx, targetOf(key), at);
            else await dutyDesk(deps, holder.id!, targetOf(key), at);
          },
        });
      }
      if (plan.report !== undefined) {
        steps.push({
          at: issuedAt + plan.report,
          run: async () => {
            const ctx = await handler(`d:${key}`, who);
            const at = new Date(issuedAt + plan.report!);
            if (ctx) await reportTarget(quiet, ctx, targetOf(key), plan.feedback!, at);
            else await dutyDesk(deps, holder.id!, targetOf(key), at, plan.feedback!);
          },
        });
      }
    }
    if (p.close) {
      steps.push({
        at: issuedAt + p.close,
        run: async () => {
          await endDirective(quiet, command, holder.id!, 'closed', new Date(issuedAt + p.close!));
        },
      });
    }
  }

  // ---- whistles of 彭李派出所 ------------------------------------------------------------------------------------
  const scenarios = new Map((await whistlesRepository.scenarios(db)).map((s) => [s.code, s.id]));
  interface ResponsePlan {
    ack?: number;
    act?: number;
    report?: number;
    text?: string;
  }
  interface WhistlePlan {
    ago: number;
    scenario: string;
    by: RequestContext;
    title: string;
    description: string;
    responses: Record<string, ResponsePlan>;
    confirm?: number;
  }
  const whistlePlans: WhistlePlan[] = [
    {
      ago: 12 * DAY,
      scenario: 'key_person',
      by: chief,
      title: '重点人员近日频繁夜间外出',
      description: '学苑社区一名重点人员近三日凌晨外出，与陌生人员接触，需治安、刑侦协同核查。',
      responses: { zhian: { ack: 25 * MIN, act: 40 * MIN, report: 5 * HOUR, text: '已走访核实，系务工夜班，无异常。' }, xingzhen: { ack: 12 * MIN, act: 30 * MIN, report: 3 * HOUR, text: '已比对轨迹，未发现违法犯罪线索。' } },
      confirm: 20 * HOUR,
    },
    {
      ago: 2 * DAY,
      scenario: 'major_dispute',
      by: officer,
      title: '小区物业与业主停车费纠纷',
      description: '业主二十余人聚集物业办公室，情绪激动，需司法所、综治中心介入调解。',
      responses: {
        zhian: { ack: 35 * MIN, report: 6 * HOUR, text: '现场秩序已稳定，未发生冲突。' },
        sifa: { ack: 20 * MIN, act: 1 * HOUR, report: 1 * DAY, text: '已组织双方调解，达成分期缴费协议。' },
        zongzhi: { ack: 50 * MIN, report: 1 * DAY + 2 * HOUR, text: '已纳入矛盾纠纷台账跟踪。' },
      },
    },
    {
      ago: 3 * HOUR,
      scenario: 'mass_incident',
      by: chief,
      title: '工地欠薪人员聚集苗头',
      description: '某工地十余名务工人员在项目部门口聚集讨薪，有扩大趋势。',
      responses: { zhihui: { ack: 8 * MIN, act: 15 * MIN }, zhian: {} },
    },
    {
      ago: 40 * MIN,
      scenario: 'complex_case',
      by: officer,
      title: '系列入室盗窃案件串并',
      description: '近一月学苑社区发生入室盗窃 4 起，作案手法相似，需刑侦、法制提前介入。',
      responses: { fazhi: { ack: 18 * MIN }, xingzhen: {} },
    },
  ];
  const categories = new Map((await db.selectFrom('departments').select(['id', 'category']).where('org_unit_id', '=', (await unit('371602'))!).execute()).map((d) => [d.category, d.id]));
  for (const w of whistlePlans) {
    const scenarioId = scenarios.get(w.scenario);
    if (!scenarioId) continue;
    const raisedAt = now - w.ago;
    const holder: { id?: string; responses?: Array<{ id: string; departmentId: string }> } = {};
    steps.push({
      at: raisedAt,
      run: async () => {
        const x = await raiseWhistle(quiet, w.by, { scenarioId, title: w.title, description: w.description }, new Date(raisedAt));
        holder.id = x.id;
        holder.responses = x.responses;
        if (w.confirm) finished.push(x.id);
      },
    });
    for (const [category, plan] of Object.entries(w.responses)) {
      const deptId = categories.get(category);
      if (!deptId) continue;
      const responseOf = () => holder.responses!.find((r) => r.departmentId === deptId)?.id;
      for (const [step, after] of [['acknowledge', plan.ack], ['act', plan.act], ['report', plan.report]] as const) {
        if (after === undefined) continue;
        steps.push({
          at: raisedAt + after,
          run: async () => {
            const id = responseOf();
            if (!id) return;
            const ctx = await handler(`w:${deptId}`, { permission: 'whistle.respond', departmentId: deptId });
            const at = new Date(raisedAt + after);
            if (ctx) await respond(quiet, ctx, id, step, plan.text, at);
            else await dutyDeskResponse(deps, holder.id!, id, step, at, plan.text);
          },
        });
      }
    }
    if (w.confirm) steps.push({ at: raisedAt + w.confirm, run: () => confirmWhistle(quiet, w.by, holder.id!, new Date(raisedAt + w.confirm!)) });
  }

  // ---- play it out in time order, the runner catching up before each step ----------------------------------------
  steps.sort((a, b) => a.at - b.at);
  for (const s of steps) {
    await runner.tick(new Date(s.at));
    await s.run();
  }
  await runner.tick(new Date(now));
  await inboxRepository.markReadForSubjects(db, finished, new Date(now));
}

/** A directive target signed (and reported) at the unit's duty desk: no named signer. */
async function dutyDesk(deps: Deps, directiveId: string, targetId: string, at: Date, feedback?: string) {
  await deps.db.transaction().execute(async (trx) => {
    const t = await directivesRepository.target(trx, targetId, true);
    if (!t) return;
    const events = [];
    if (t.status === 'issued') {
      await directivesRepository.sign(trx, targetId, null, at);
      events.push({ id: uuidv7(), subject_kind: 'directive' as const, subject_id: directiveId, target_id: targetId, at, actor_id: null, action: 'signed', note: '值班室签收' });
    }
    if (feedback && t.status !== 'reported') {
      await directivesRepository.report(trx, targetId, null, at, feedback);
      events.push({ id: uuidv7(), subject_kind: 'directive' as const, subject_id: directiveId, target_id: targetId, at, actor_id: null, action: 'reported', note: feedback });
    }
    await directivesRepository.insertEvents(trx, events);
  });
}

/** A whistle response moved at the department's duty desk (a department without a demo account). */
async function dutyDeskResponse(deps: Deps, whistleId: string, responseId: string, step: 'acknowledge' | 'act' | 'report', at: Date, text?: string) {
  await deps.db.transaction().execute(async (trx) => {
    await whistlesRepository.byId(trx, whistleId, true);
    const set =
      step === 'acknowledge'
        ? { status: 'acknowledged' as const, acknowledged_at: at }
        : step === 'act'
          ? { status: 'acting' as const, acted_at: at }
          : { status: 'reported' as const, reported_at: at, report: text ?? '已处置' };
    const from = step === 'acknowledge' ? (['pending'] as const) : step === 'act' ? (['acknowledged'] as const) : (['acknowledged', 'acting'] as const);
    if (!(await whistlesRepository.transition(trx, responseId, [...from], set))) return;
    const action = step === 'acknowledge' ? 'acknowledged' : step === 'act' ? 'acting' : 'reported';
    await directivesRepository.insertEvents(trx, [{ id: uuidv7(), subject_kind: 'whistle', subject_id: whistleId, target_id: responseId, at, actor_id: null, action, note: step === 'report' ? (text ?? null) : '值班室' }]);
    if (step === 'report' && (await whistlesRepository.markReportedIfDone(trx, whistleId))) {
      await directivesRepository.insertEvents(trx, [{ id: uuidv7(), subject_kind: 'whistle', subject_id: whistleId, at, actor_id: null, action: 'all_reported', note: '报到部门已全部反馈' }]);
    }
  });
}

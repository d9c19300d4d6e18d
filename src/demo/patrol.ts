import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../server/deps.js';
import { systemContext } from '../server/platform/access/context.js';
import { PERMISSIONS } from '../server/platform/access/permissions.js';
import { orgRepository } from '../server/modules/org/repository.js';
import { addDays, todayCst } from '../server/modules/population/rules.js';
import { generatePlan } from '../server/modules/patrol/plans.js';
import { patrolRepository } from '../server/modules/patrol/repository.js';
import { beijingStart, mondayOf } from '../server/modules/patrol/rules.js';
import { addMember, createShift, createTeam, recordAttendance, type TeamKind } from '../server/modules/patrol/teams.js';
import { cellOf, hourOfWeek } from '../shared/geo.js';
import { GIVEN_FEMALE, GIVEN_MALE, SURNAMES } from './names.js';
import { Rng } from './registry.js';

/**
 * Demo data of 巡防 (docs/api-command.md "Patrols"), loaded after the demo incidents and the map's cameras: volunteer
 * teams (义务巡逻队, 红袖标) in five communities with members, past shifts with attendance and points; the "1+3"
 * plans of every station for last week and this week; and patrols with check-ins in the recommended places and hours
 * that have already passed, so coverage is neither nil nor complete. Runs once: nothing is added when a team exists.
 */
const TEAMS: Array<{ community: string; kind: TeamKind; members: number }> = [
  { community: '371602005001', kind: 'yiwu', members: 8 },
  { community: '371602005001', kind: 'hongxiubiao', members: 6 },
  { community: '371602005002', kind: 'yiwu', members: 6 },
  { community: '371602001001', kind: 'hongxiubiao', members: 5 },
  { community: '371602004001', kind: 'yiwu', members: 5 },
];
const KIND_SUFFIX: Record<TeamKind, string> = { yiwu: '义务巡逻队', hongxiubiao: '红袖标', other: '群防队' };
/** The share of the passed (item, hour) slots that get a patrol with check-ins. */
const COVER_SHARE = 0.45;

export async function seedDemoPatrol(deps: Deps, opts: { countyCode?: string; now?: Date; seed?: number } = {}): Promise<{ teams: number; plans: number; patrols: number }> {
  if (await patrolRepository.anyTeam(deps.db)) return { teams: 0, plans: 0, patrols: 0 };
  const county = opts.countyCode ?? '371602';
  const now = opts.now ?? new Date();
  const rng = new Rng(opts.seed ?? 20_261_122);
  const ctx = systemContext(Object.keys(PERMISSIONS));
  const units = (await orgRepository.subtree(deps.db, '/')).filter((u) => u.county_code === county || u.code.startsWith(county));
  const byCode = new Map(units.map((u) => [u.code, u]));
  const stations = units.filter((u) => u.kind === 'station');
  const surnames = SURNAMES.map(([s]) => s);
  const personName = () => `${rng.pick(surnames)}${rng.chance(0.5) ? rng.pick(GIVEN_MALE) : rng.pick(GIVEN_FEMALE)}${rng.chance(0.6) ? rng.pick(rng.chance(0.5) ? GIVEN_MALE : GIVEN_FEMALE) : ''}`;
  let phoneSeq = 0;
  const phone = () => `139${String(54_300_000 + ++phoneSeq * 37).padStart(8, '0')}`;

  // ---- teams, members, past shifts with attendance
  let teams = 0;
  for (const spec of TEAMS) {
    const community = byCode.get(spec.community);
    if (!community) continue;
    const base = community.name.replace(/警务区$/, '');
    const team = await createTeam(deps, ctx, { orgUnitId: community.id, name: `${base}${KIND_SUFFIX[spec.kind]}`, kind: spec.kind, leaderName: personName(), leaderPhone: phone(), note: spec.kind === 'hongxiubiao' ? '佩戴红袖标，白天在小区门口、菜市场和学校周边巡防' : '由退休职工和志愿者组成，夜间配合社区民警巡逻' });
    teams++;
    const members: string[] = [];
    for (let i = 0; i < spec.members; i++) {
      const m = await addMember(deps, ctx, team.id, { name: personName(), phone: phone(), joinedOn: addDays(todayCst(now), -rng.range(30, 700)) });
      members.push(m.id);
    }
    for (const daysAgo of [20, 13, 9, 6, 2]) {
      const day = addDays(todayCst(now), -daysAgo);
      const startHour = spec.kind === 'hongxiubiao' ? rng.pick([8, 9, 14, 15]) : rng.pick([9, 15, 19]);
      const startsAt = new Date(beijingStart(day).getTime() + startHour * 3_600_000);
      const crew = members.filter(() => rng.chance(0.6));
      if (!crew.length) crew.push(members[0]);
      const shift = await createShift(deps, ctx, team.id, {
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
        area: rng.pick(['小区南门至菜市场', '学校周边', '沿街商铺', '小区内部及停车场', '广场及公园']),
        memberIds: crew,
      });
      await recordAttendance(deps, ctx, shift.id, { members: crew.map((memberId) => ({ memberId, attended: rng.chance(0.85) })) });
    }
  }

  // ---- plans of last week and this week, and patrols in their passed slots
  const users = new Map((await patrolRepository.usersByName(deps.db, ['chief', 'officer', 'gridworker', 'assistant', 'command'])).map((u) => [u.username, u.id]));
  const thisWeek = mondayOf(todayCst(now));
  let plans = 0;
  let patrols = 0;
  for (const week of [addDays(thisWeek, -7), thisWeek]) {
    const weekStart = beijingStart(week).getTime();
    for (const station of stations) {
      const plan = await generatePlan(deps, ctx, { unitId: station.id, weekStart: week });
      plans++;
      const own = station.code === '371602005';
      const items = [...plan.items.patrol, ...plan.items.volunteer, ...plan.items.video];
      for (const item of items) {
        for (const h of item.hours) {
          const slot = weekStart + h * 3_600_000;
          if (slot + 3_600_000 > now.getTime() || !rng.chance(COVER_SHARE)) continue;
          const who = item.mode === 'volunteer' ? (own ? rng.pick(['officer', 'gridworker', 'assistant']) : 'command') : own ? rng.pick(['chief', 'officer']) : 'command';
          const createdBy = users.get(who) ?? users.get('command');
          if (!createdBy) continue;
          const id = uuidv7();
          await patrolRepository.insertPatrol(deps.db, {
            id,
            org_unit_id: station.id,
            mode: item.mode,
            plan_item_id: item.id,
            route_id: null,
            team_id: item.mode === 'volunteer' ? (item.team?.id ?? null) : null,
            shift_id: null,
            started_at: new Date(slot - 10 * 60_000),
            ended_at: new Date(slot + 70 * 60_000),
            note: item.mode === 'video' ? '视频巡查，未见异常' : rng.pick(['巡逻无异常', '劝离聚集人员', '提醒商户关好门窗', null]),
            created_by: createdBy,
          });
          patrols++;
          for (const minute of [rng.range(5, 25), rng.range(30, 55)]) {
            const at = new Date(slot + minute * 60_000);
            const lat = item.lat + (rng.next() - 0.5) * 0.002;
            const lng = item.lng + (rng.next() - 0.5) * 0.002;
            await patrolRepository.insertCheckin(deps.db, { id: uuidv7(), patrol_id: id, client_id: uuidv7(), at, lat, lng, h3: cellOf(lat, lng), how: hourOfWeek(at), note: null, created_by: createdBy });
          }
        }
      }
    }
  }
  return { teams, plans, patrols };
}

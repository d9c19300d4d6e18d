// English for console-analysis.zh-CN.ts (same keys; the type makes a missing or extra key a compile error).
import type consoleAnalysisZh from './console-analysis.zh-CN';

const consoleAnalysisEn: Record<keyof typeof consoleAnalysisZh, string> = {
  'nav.command.hotspots': 'Hot spots',
  'nav.command.hotspots.desc': 'Hot spots by place (H3 cells, communities, grids) and hour of the week, with year-on-year and period-on-period change.',
  'nav.command.patrolPlans': 'Patrol plans',
  'nav.command.patrolPlans.desc': '"1+3" patrol recommendations from hot spots, with patrols, check-ins and coverage.',
  'nav.command.patrols': 'Patrols',
  'nav.command.patrols.desc': 'Patrols carried out and their check-ins.',
  'nav.command.teams': 'Volunteer patrols',
  'nav.command.teams.desc': 'Volunteer patrol teams: members, shifts and participation points.',
};

export default consoleAnalysisEn;

// English for console-incidents.zh-CN.ts (same keys; the type makes a missing or extra key a compile error).
import type consoleIncidentsZh from './console-incidents.zh-CN';

const consoleIncidentsEn: Record<keyof typeof consoleIncidentsZh, string> = {
  'nav.group.command': 'Command',
  'nav.command.incidents': 'Incidents',
  'nav.command.incidents.desc': 'Incidents from 110, walk-ins, grid and resident reports: record, handle, link, divert and close.',
  'nav.command.incident': 'Incident',
  'nav.command.incident.desc': 'One incident: time, place, category, handling, links and diversion.',
  'nav.command.clearance': 'Clearance',
  'nav.command.clearance.desc': 'Every incident tracked to closure: ageing of open ones and daily clearance per unit.',
  'nav.command.diversions': 'Diverted matters',
  'nav.command.diversions.desc': 'Non-police matters diverted to this department: accept, handle and report back.',
  'nav.command.categories': 'Incident categories',
  'nav.command.categories.desc': 'The configurable category tree and which categories are police matters.',
};

export default consoleIncidentsEn;

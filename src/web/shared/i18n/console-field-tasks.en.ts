// English for console-field-tasks.zh-CN.ts (same keys; the type makes a missing or extra key a compile error).
import type consoleFieldTasksZh from './console-field-tasks.zh-CN';

const consoleFieldTasksEn: Record<keyof typeof consoleFieldTasksZh, string> = {
  'nav.field.templates': 'Task templates',
  'nav.field.templates.desc': 'Recurring quantified tasks per grid, generated for each worker.',
  'nav.field.progress': 'Task progress',
  'nav.field.progress.desc': 'Completion and overdue tasks per community, grid and worker.',
  'nav.field.assessment': 'Grid worker assessment',
  'nav.field.assessment.desc': 'Monthly figures computed from the data: on-time rate, items, verifications, timeliness, returns, score.',
};

export default consoleFieldTasksEn;

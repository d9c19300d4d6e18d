// English for console-command.zh-CN.ts (same keys; the type makes a missing or extra key a compile error).
import type consoleCommandZh from './console-command.zh-CN';

const consoleCommandEn: Record<keyof typeof consoleCommandZh, string> = {
  'nav.command.directives': 'Directives',
  'nav.command.directives.desc': 'Four-colour warning directives with sign-off and feedback rates and overdue units.',
  'nav.command.directive': 'Directive',
  'nav.command.directive.desc': "One directive: content, actions, each unit's sign-off and feedback.",
  'nav.command.directiveInbox': 'Directive inbox',
  'nav.command.directiveInbox.desc': 'Directives to this unit: sign for them and report back.',
  'nav.command.whistles': 'Whistles',
  'nav.command.whistles.desc': 'Raise a whistle for a scenario; the named units respond in time; confirm or reopen.',
  'nav.command.whistle': 'Whistle',
  'nav.command.whistle.desc': 'One whistle: scenario, receiving units, responses and confirmation.',
  'nav.command.whistleInbox': 'Whistle inbox',
  'nav.command.whistleInbox.desc': 'Whistles to this department: acknowledge, act and report.',
  'nav.command.oversight': 'Oversight',
  'nav.command.oversight.desc': 'Directive sign-off and feedback rates, whistle response times and overdue units.',
  'nav.command.settings': 'Command settings',
  'nav.command.settings.desc': 'Whistle scenarios, directive sign-off times, SMS levels and patrol points.',
};

export default consoleCommandEn;

// English for console-field-routing.zh-CN.ts (same keys; the type makes a missing or extra key a compile error).
import type consoleFieldRoutingZh from './console-field-routing.zh-CN';

const consoleFieldRoutingEn: Record<keyof typeof consoleFieldRoutingZh, string> = {
  'nav.field.inbox': 'Routed items',
  'nav.field.inbox.desc': 'Items routed to your department or to you: accept, handle, close with feedback.',
  'nav.field.dispatch': 'Routed item',
  'nav.field.dispatch.desc': 'One routed item: content, photos, handling and feedback.',
  'nav.field.rules': 'Routing rules',
  'nav.field.rules.desc': 'Route each collected item to the department that owns it, by type and content.',
  'nav.field.dispatchStats': 'Routing figures',
  'nav.field.dispatchStats.desc': 'Received, accepted, closed, overdue and escalated items per department.',
};

export default consoleFieldRoutingEn;

// English for console-field-items.zh-CN.ts (same keys; the type makes a missing or extra key a compile error).
import type consoleFieldItemsZh from './console-field-items.zh-CN';

const consoleFieldItemsEn: Record<keyof typeof consoleFieldItemsZh, string> = {
  'nav.group.field': 'Field collection',
  'nav.field.items': 'Field items',
  'nav.field.items.desc': 'Items collected in the field, with where they were routed and how they were handled.',
  'nav.field.item': 'Field item',
  'nav.field.item.desc': 'One item: its form, photos, location, dispatches and feedback.',
  'nav.field.changes': 'Field change review',
  'nav.field.changes.desc': 'Changes to people, housing and units collected in the field: review, resolve conflicts, grant direct changes.',
  'nav.field.change': 'Field change',
  'nav.field.change.desc': 'One change: the proposal beside the registry, conflicts and review.',
  'nav.field.types': 'Item types',
  'nav.field.types.desc': 'Categories and item types of basic work, each with its own form.',
};

export default consoleFieldItemsEn;

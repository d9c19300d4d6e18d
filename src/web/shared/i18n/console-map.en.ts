// English for console-map.zh-CN.ts (same keys; the type makes a missing or extra key a compile error).
import type consoleMapZh from './console-map.zh-CN';

const consoleMapEn: Record<keyof typeof consoleMapZh, string> = {
  'nav.command.map': 'Map',
  'nav.command.map.desc': 'One map of the jurisdiction: boundaries, addresses, incidents, offices with response rings, routes, key units, cameras.',
  'nav.command.mapAssets': 'Map assets',
  'nav.command.mapAssets.desc': 'Camera positions (assets only), patrol routes and the base-map setting.',
};

export default consoleMapEn;

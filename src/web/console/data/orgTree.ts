import type { OrgKind, OrgTreeNode } from '../../shared/types';
import { ORG_KINDS } from '../../shared/types';

export interface OrgTreeSelectNode {
  title: string;
  value: string;
  key: string;
  disabled?: boolean;
  children?: OrgTreeSelectNode[];
}

/** TreeSelect data from the org tree; inactive units can be made unselectable. */
export function toTreeSelect(nodes: readonly OrgTreeNode[], opts: { disableInactive?: boolean } = {}): OrgTreeSelectNode[] {
  return nodes.map((n) => ({
    title: n.name,
    value: n.id,
    key: n.id,
    disabled: opts.disableInactive ? n.status !== 'active' : undefined,
    children: n.children?.length ? toTreeSelect(n.children, opts) : undefined,
  }));
}

export function flattenTree(nodes: readonly OrgTreeNode[], into = new Map<string, OrgTreeNode>()): Map<string, OrgTreeNode> {
  for (const n of nodes) {
    into.set(n.id, n);
    if (n.children?.length) flattenTree(n.children, into);
  }
  return into;
}

/** The kinds a child of `parent` may have: the next finer level (the server allows no skipping). */
export function childKinds(parent: OrgKind): OrgKind[] {
  const i = ORG_KINDS.indexOf(parent);
  return i < 0 || i + 1 >= ORG_KINDS.length ? [] : [ORG_KINDS[i + 1]];
}

/** What a child's code starts with: a county code shares the city's first 4 digits; below, the parent's code. */
export function codePrefix(kind: OrgKind, parentCode: string): string {
  return kind === 'branch' ? parentCode.slice(0, 4) : parentCode;
}

/**
 * Code shapes: 分局/县局 = 6-digit county code; 派出所 = 9 digits starting with the parent's code;
 * 社区/村警务区 and 网格 = parent's code + 3 digits. Returns the expected length, or undefined.
 */
export function expectedCodeLength(kind: OrgKind, parentCode: string): number | undefined {
  switch (kind) {
    case 'city_bureau':
    case 'branch':
      return 6;
    case 'station':
      return 9;
    case 'community':
    case 'grid':
      return parentCode.length + 3;
  }
}

/** Keep the nodes whose name or code contains `term`, with their ancestors. */
export function filterTree(nodes: readonly OrgTreeNode[], term: string): OrgTreeNode[] {
  const needle = term.trim().toLowerCase();
  if (!needle) return [...nodes];
  const out: OrgTreeNode[] = [];
  for (const n of nodes) {
    const children = filterTree(n.children ?? [], needle);
    if (n.name.toLowerCase().includes(needle) || n.code.toLowerCase().includes(needle) || children.length) {
      out.push({ ...n, children });
    }
  }
  return out;
}

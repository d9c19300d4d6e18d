import { Tag } from 'antd';
import type { RoleRef } from '../../shared/types';
import { useLocalName } from '../data/useLocalName';

export function RoleTags({ roles, max }: { roles: readonly RoleRef[] | null | undefined; max?: number }) {
  const localName = useLocalName();
  if (!roles?.length) return null;
  const shown = max ? roles.slice(0, max) : roles;
  return (
    <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 4 }}>
      {shown.map((r) => (
        <Tag key={r.code} color="blue" style={{ marginInlineEnd: 0 }}>
          {localName(r)}
        </Tag>
      ))}
      {max && roles.length > max ? <Tag style={{ marginInlineEnd: 0 }}>+{roles.length - max}</Tag> : null}
    </span>
  );
}

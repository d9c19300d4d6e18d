import { useMemo } from 'react';
import { TreeSelect } from 'antd';
import type { CSSProperties } from 'react';
import { useI18n } from '../../shared/i18n';
import { useOrgTree } from '../data/queries';
import { toTreeSelect } from '../data/orgTree';

interface OrgUnitSelectProps {
  value?: string;
  onChange?: (value: string | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  /** Inactive units cannot be picked (for assigning users and departments). */
  disableInactive?: boolean;
  style?: CSSProperties;
  disabled?: boolean;
  id?: string;
}

/** Org-unit picker over the caller's jurisdiction tree. */
export function OrgUnitSelect({ value, onChange, placeholder, allowClear = true, disableInactive, style, disabled, id }: OrgUnitSelectProps) {
  const { t } = useI18n();
  const tree = useOrgTree();
  const treeData = useMemo(() => toTreeSelect(tree.data ?? [], { disableInactive }), [tree.data, disableInactive]);
  return (
    <TreeSelect
      id={id}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      treeData={treeData}
      placeholder={placeholder ?? t('common.selectOrgUnit')}
      allowClear={allowClear}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
      loading={tree.isLoading}
      disabled={disabled}
      notFoundContent={tree.isError ? t('common.loadFailed') : undefined}
      style={{ width: '100%', ...style }}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxHeight: 400, minWidth: 260, overflow: 'auto' } } }}
    />
  );
}

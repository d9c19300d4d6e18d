import { useMemo } from 'react';
import type { Key } from 'react';
import { Tag, Tree } from 'antd';
import type { TreeDataNode } from 'antd';
import { useI18n } from '../../../../shared/i18n';
import type { Address } from '../../../data/registry';

interface Props {
  roots: Address[];
  /** Children loaded so far, by parent id. */
  loaded: Record<string, Address[]>;
  onLoad: (id: string) => Promise<void>;
  selectedId?: string;
  onSelect: (id: string) => void;
  checked: string[];
  onCheck: (ids: string[]) => void;
  expanded: Key[];
  onExpand: (keys: Key[]) => void;
  checkable: boolean;
}

const tagStyle = { marginInlineEnd: 0, fontSize: 11, lineHeight: '16px', paddingInline: 4 } as const;

export function AddressTitle({ address }: { address: Address }) {
  const { t, tx } = useI18n();
  return (
    <span className={address.status === 'active' ? 'fq-tree-node' : 'fq-tree-node fq-tree-node-inactive'}>
      <span>{address.name}</span>
      <Tag variant="filled" style={tagStyle}>
        {tx(`registry.level.${address.level}`, address.levelName)}
      </Tag>
      {address.status !== 'active' ? <Tag style={tagStyle}>{t('status.inactive')}</Tag> : null}
    </span>
  );
}

/** The address tree of one grid; children are fetched when a node is opened. */
export function AddressTree(props: Props) {
  const { roots, loaded, onLoad, selectedId, onSelect, checked, onCheck, expanded, onExpand, checkable } = props;

  const treeData = useMemo(() => {
    const build = (items: Address[]): TreeDataNode[] =>
      items.map((a) => ({
        key: a.id,
        title: <AddressTitle address={a} />,
        isLeaf: a.childCount === 0,
        disableCheckbox: a.status !== 'active',
        children: loaded[a.id] ? build(loaded[a.id]) : undefined,
      }));
    return build(roots);
  }, [roots, loaded]);

  return (
    <div className="fq-tree-scroll" data-testid="address-tree">
      <Tree
        blockNode
        showLine
        checkable={checkable}
        checkStrictly
        treeData={treeData}
        selectedKeys={selectedId ? [selectedId] : []}
        checkedKeys={{ checked, halfChecked: [] }}
        expandedKeys={expanded}
        loadedKeys={Object.keys(loaded)}
        onExpand={(keys) => onExpand(keys)}
        loadData={(node) => onLoad(String(node.key))}
        onSelect={(keys) => {
          if (keys.length) onSelect(String(keys[0]));
        }}
        onCheck={(value) => {
          const keys = Array.isArray(value) ? value : value.checked;
          onCheck(keys.map(String));
        }}
      />
    </div>
  );
}

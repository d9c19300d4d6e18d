import { useMemo, useState } from 'react';
import type { Key } from 'react';
import { Button, Tag, Tree } from 'antd';
import { DownOutlined } from '@ant-design/icons';
import type { TreeDataNode } from 'antd';
import { useI18n } from '../../../../shared/i18n';
import type { Address } from '../../../data/registry';

interface Props {
  roots: Address[];
  /** Children loaded so far, by parent id. */
  loaded: Record<string, Address[]>;
  /** How many children each loaded parent has in all (children come a page at a time). */
  totals: Record<string, number>;
  onLoad: (id: string) => Promise<void>;
  /** Fetches the next page of a parent's children. */
  onLoadMore: (id: string) => Promise<void>;
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

const MORE_PREFIX = 'more:';

/** The 加载更多 row under a parent whose children are not all shown yet. */
function LoadMore({ shown, total, onClick }: { shown: number; total: number; onClick: () => Promise<void> }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      type="link"
      size="small"
      icon={<DownOutlined />}
      loading={busy}
      style={{ paddingInline: 0 }}
      data-testid="tree-load-more"
      onClick={(e) => {
        e.stopPropagation();
        setBusy(true);
        void onClick().finally(() => setBusy(false));
      }}
    >
      {t('registry.address.loadMore', { shown, total })}
    </Button>
  );
}

/** The address tree of one grid; children are fetched when a node is opened, a page at a time. */
export function AddressTree(props: Props) {
  const { roots, loaded, totals, onLoad, onLoadMore, selectedId, onSelect, checked, onCheck, expanded, onExpand, checkable } = props;

  const treeData = useMemo(() => {
    const build = (items: Address[], parentId?: string): TreeDataNode[] => {
      const nodes: TreeDataNode[] = items.map((a) => ({
        key: a.id,
        title: <AddressTitle address={a} />,
        isLeaf: a.childCount === 0,
        disableCheckbox: a.status !== 'active',
        children: loaded[a.id] ? build(loaded[a.id], a.id) : undefined,
      }));
      const total = parentId ? (totals[parentId] ?? 0) : 0;
      if (parentId && items.length < total) {
        nodes.push({
          key: `${MORE_PREFIX}${parentId}`,
          title: <LoadMore shown={items.length} total={total} onClick={() => onLoadMore(parentId)} />,
          isLeaf: true,
          selectable: false,
          checkable: false,
        });
      }
      return nodes;
    };
    return build(roots);
  }, [roots, loaded, totals, onLoadMore]);

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
          if (keys.length && !String(keys[0]).startsWith(MORE_PREFIX)) onSelect(String(keys[0]));
        }}
        onCheck={(value) => {
          const keys = Array.isArray(value) ? value : value.checked;
          onCheck(keys.map(String).filter((k) => !k.startsWith(MORE_PREFIX)));
        }}
      />
    </div>
  );
}

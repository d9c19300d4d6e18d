import { useMemo, useState } from 'react';
import type { Key } from 'react';
import { Empty, Input, Tag, Tree } from 'antd';
import type { TreeDataNode } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useI18n, type I18n } from '../../../shared/i18n';
import type { OrgTreeNode } from '../../../shared/types';
import { filterTree, flattenTree } from '../../data/orgTree';

function keysToDepth(nodes: OrgTreeNode[], depth: number): string[] {
  if (depth < 0) return [];
  return nodes.flatMap((n) => (n.children?.length ? [n.id, ...keysToDepth(n.children, depth - 1)] : []));
}

interface Props {
  roots: OrgTreeNode[];
  selectedId?: string;
  onSelect: (id: string) => void;
}

const tagStyle = { marginInlineEnd: 0, fontSize: 11, lineHeight: '16px', paddingInline: 4 } as const;

function toTreeData(nodes: OrgTreeNode[], t: I18n['t'], tx: I18n['tx']): TreeDataNode[] {
  return nodes.map((n) => ({
    key: n.id,
    title: (
      <span className={n.status === 'active' ? 'fq-tree-node' : 'fq-tree-node fq-tree-node-inactive'}>
        <span>{n.name}</span>
        <Tag variant="filled" style={tagStyle}>
          {tx(`org.kind.${n.kind}`, n.kind)}
        </Tag>
        {n.status !== 'active' ? <Tag style={tagStyle}>{t('status.inactive')}</Tag> : null}
      </span>
    ),
    children: n.children?.length ? toTreeData(n.children, t, tx) : undefined,
  }));
}

export function OrgTreePanel({ roots, selectedId, onSelect }: Props) {
  const { t, tx } = useI18n();
  const [term, setTerm] = useState('');
  const filtered = useMemo(() => filterTree(roots, term), [roots, term]);
  // Searching opens every match; otherwise the top three levels start open.
  const defaultKeys = useMemo(
    () => (term.trim() ? [...flattenTree(filtered).keys()] : keysToDepth(filtered, 2)),
    [filtered, term],
  );
  const [expanded, setExpanded] = useState<Key[] | null>(null);

  const treeData = useMemo(() => toTreeData(filtered, t, tx), [filtered, t, tx]);

  return (
    <div>
      <Input
        allowClear
        prefix={<SearchOutlined />}
        placeholder={t('org.tree.search')}
        value={term}
        onChange={(e) => {
          setTerm(e.target.value);
          setExpanded(null);
        }}
        style={{ marginBottom: 10 }}
      />
      <div className="fq-tree-scroll">
        {treeData.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.noMatch')} />
        ) : (
          <Tree
            blockNode
            showLine
            treeData={treeData}
            expandedKeys={expanded ?? defaultKeys}
            onExpand={(keys) => setExpanded(keys)}
            selectedKeys={selectedId ? [selectedId] : []}
            onSelect={(keys) => {
              if (keys[0]) onSelect(String(keys[0]));
            }}
          />
        )}
      </div>
    </div>
  );
}

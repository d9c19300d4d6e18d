import { useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Modal, Radio, Space, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useI18n } from '../../../shared/i18n';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PageContainer } from '../../layout/PageContainer';
import { applyProblemFields } from '../../components/formErrors';
import { useIncidentCategories, useSaveCategory } from '../../data/incidents';
import type { CategoryNode } from '../../data/incidents';

type Editing = { mode: 'create'; parent?: CategoryNode } | { mode: 'edit'; node: CategoryNode };

/** 警情分类: the two-level tree; add a child, rename, mark 警务/非警务, disable (nothing is ever deleted). */
export default function CategoriesPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const cats = useIncidentCategories();
  const save = useSaveCategory();
  const [editing, setEditing] = useState<Editing | null>(null);

  const toggle = async (c: CategoryNode, patch: Partial<Pick<CategoryNode, 'policeMatter' | 'status'>>) => {
    try {
      await save.mutateAsync({ id: c.id, name: c.name, policeMatter: patch.policeMatter ?? c.policeMatter, sort: c.sort, status: patch.status ?? c.status });
      message.success(t('common.saved'));
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  return (
    <PageContainer
      subtitle={t('incident.categories.subtitle')}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void cats.refetch()} loading={cats.isFetching}>
            {t('common.refresh')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create' })}>
            {t('incident.categories.addTop')}
          </Button>
        </Space>
      }
    >
      <Card>
        {cats.isError ? <ProblemAlert error={cats.error} /> : null}
        <Table<CategoryNode>
          scroll={{ x: 'max-content' }}
          key={cats.data ? 'loaded' : 'loading'}
          rowKey="id"
          size="middle"
          loading={cats.isLoading}
          dataSource={(cats.data ?? []).map((c) => ({ ...c, children: c.children.length ? c.children : undefined }) as CategoryNode)}
          pagination={false}
          expandable={{ defaultExpandAllRows: true }}
          columns={[
            {
              key: 'name',
              title: t('incident.categories.name'),
              render: (_, c) => (
                <Space>
                  <Typography.Text strong={!c.parentId} type={c.status === 'inactive' ? 'secondary' : undefined} delete={c.status === 'inactive'}>
                    {c.name}
                  </Typography.Text>
                  {c.builtin ? <Tag>{t('incident.categories.builtin')}</Tag> : null}
                </Space>
              ),
            },
            { key: 'code', title: t('incident.categories.code'), width: 150, render: (_, c) => <span className="fq-mono">{c.code}</span> },
            {
              key: 'police',
              title: t('incident.categories.policeMatter'),
              width: 150,
              render: (_, c) => (
                <Switch
                  size="small"
                  checked={c.policeMatter}
                  checkedChildren={t('incident.categories.police')}
                  unCheckedChildren={t('incident.categories.nonPolice')}
                  onChange={(v) => void toggle(c, { policeMatter: v })}
                />
              ),
            },
            { key: 'sort', title: t('incident.categories.sort'), width: 80, dataIndex: 'sort' },
            {
              key: 'status',
              title: t('common.status'),
              width: 110,
              render: (_, c) => (
                <Switch size="small" checked={c.status === 'active'} checkedChildren={t('incident.categories.active')} unCheckedChildren={t('incident.categories.inactive')} onChange={(v) => void toggle(c, { status: v ? 'active' : 'inactive' })} />
              ),
            },
            {
              key: 'actions',
              title: t('common.actions'),
              width: 200,
              render: (_, c) => (
                <Space size={4}>
                  <Button type="link" size="small" onClick={() => setEditing({ mode: 'edit', node: c })}>
                    {t('common.edit')}
                  </Button>
                  {!c.parentId ? (
                    <Button type="link" size="small" onClick={() => setEditing({ mode: 'create', parent: c })}>
                      {t('incident.categories.addChild')}
                    </Button>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {editing ? <CategoryModal editing={editing} onClose={() => setEditing(null)} /> : null}
    </PageContainer>
  );
}

interface Values {
  code?: string;
  name: string;
  policeMatter: boolean;
  sort: number;
  status: 'active' | 'inactive';
}

function CategoryModal({ editing, onClose }: { editing: Editing; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const save = useSaveCategory();
  const node = editing.mode === 'edit' ? editing.node : undefined;
  const parent = editing.mode === 'create' ? editing.parent : undefined;

  const submit = async (v: Values) => {
    setError(null);
    try {
      await save.mutateAsync(node ? { id: node.id, name: v.name, policeMatter: v.policeMatter, sort: v.sort, status: v.status } : { parentId: parent?.id, code: v.code, name: v.name, policeMatter: v.policeMatter, sort: v.sort });
      message.success(t('common.saved'));
      onClose();
    } catch (err) {
      setError(err);
      applyProblemFields(form, err, { code: 'code', name: 'name', parentId: 'name', sort: 'sort' });
    }
  };

  const title = node ? t('incident.categories.edit', { name: node.name }) : parent ? t('incident.categories.addChildOf', { name: parent.name }) : t('incident.categories.addTop');
  return (
    <Modal open title={title} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden>
      {error ? <ProblemAlert error={error} style={{ marginBottom: 12 }} /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={node ? { name: node.name, policeMatter: node.policeMatter, sort: node.sort, status: node.status } : { policeMatter: parent?.policeMatter ?? true, sort: 0, status: 'active' }}
      >
        {!node ? (
          <Form.Item
            name="code"
            label={t('incident.categories.code')}
            extra={t('incident.categories.codeHint')}
            rules={[
              { required: true, message: t('incident.categories.codeRequired') },
              { pattern: /^[a-z][a-z0-9_]{1,31}$/, message: t('incident.categories.codeHint') },
            ]}
          >
            <Input maxLength={32} className="fq-mono" placeholder={parent ? `${parent.code.slice(0, 2)}_` : ''} />
          </Form.Item>
        ) : null}
        <Form.Item name="name" label={t('incident.categories.name')} rules={[{ required: true, whitespace: true, message: t('incident.categories.nameRequired') }]}>
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item name="policeMatter" label={t('incident.categories.policeMatter')} extra={t('incident.categories.policeHint')}>
          <Radio.Group
            options={[
              { value: true, label: t('incident.categories.police') },
              { value: false, label: t('incident.categories.nonPolice') },
            ]}
          />
        </Form.Item>
        <Form.Item name="sort" label={t('incident.categories.sort')}>
          <InputNumber min={0} max={100000} style={{ width: 160 }} />
        </Form.Item>
        {node ? (
          <Form.Item name="status" label={t('common.status')}>
            <Radio.Group
              options={[
                { value: 'active', label: t('incident.categories.active') },
                { value: 'inactive', label: t('incident.categories.inactive') },
              ]}
            />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { App, Badge, Button, Card, Col, Empty, Form, Input, InputNumber, Menu, Modal, Row, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { AimOutlined, CameraOutlined, EditOutlined, EnvironmentOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { PageContainer } from '../../../layout/PageContainer';
import { applyProblemFields } from '../../../components/formErrors';
import { useCategories, useItemTypes, useSaveCategory } from '../../../data/field';
import type { Category, ItemType } from '../../../data/field';
import { CategoryTag } from '../items/labels';
import { TypeDrawer } from './TypeDrawer';

const ALL = '__all';

function CategoryModal({ category, open, onClose }: { category?: Category; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ code: string; name: string; sort?: number; status: 'active' | 'inactive' }>();
  const save = useSaveCategory();
  const submit = async () => {
    const v = await form.validateFields();
    save.mutate(
      { code: (category?.code ?? v.code).trim(), name: v.name.trim(), ...(v.sort !== undefined && v.sort !== null ? { sort: v.sort } : {}), status: v.status },
      {
        onSuccess: () => {
          message.success(t('fieldCategory.saved'));
          onClose();
        },
        onError: (err) => applyProblemFields(form, err, { code: 'code', name: 'name', sort: 'sort', status: 'status' }),
      },
    );
  };
  return (
    <Modal
      open={open}
      title={category ? t('fieldTypes.editCategory') : t('fieldTypes.newCategory')}
      onOk={() => void submit()}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'category-save' }}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(o) => {
        if (o) {
          save.reset();
          form.setFieldsValue(category ? { code: category.code, name: category.name, sort: category.sort, status: category.status } : { code: '', name: '', status: 'active' });
        }
      }}
    >
      {save.isError ? <ProblemAlert error={save.error} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical">
        <Form.Item name="code" label={t('fieldCategory.code')} extra={t('fieldCategory.codeHelp')} rules={category ? [] : [{ required: true, whitespace: true, message: t('fieldCategory.codeRequired') }]}>
          <Input maxLength={30} disabled={!!category} className="fq-mono" data-testid="category-code" />
        </Form.Item>
        <Form.Item name="name" label={t('fieldCategory.name')} rules={[{ required: true, whitespace: true, message: t('fieldCategory.required') }]}>
          <Input maxLength={20} data-testid="category-name" />
        </Form.Item>
        <Space size={16}>
          <Form.Item name="sort" label={t('fieldCategory.sort')}>
            <InputNumber min={0} max={100000} precision={0} />
          </Form.Item>
          <Form.Item name="status" label={t('fieldCategory.status')}>
            <Select
              style={{ width: 120 }}
              options={[
                { value: 'active', label: t('fieldTypes.active') },
                { value: 'inactive', label: t('fieldTypes.inactive') },
              ]}
            />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

/** 事项类型: the categories of basic work on the left, their item types on the right, a drawer to edit a type's form. */
export default function TypesPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const categories = useCategories();
  const types = useItemTypes();
  const selected = params.get('category') ?? ALL;
  const [term, setTerm] = useState('');
  const [editing, setEditing] = useState<{ type?: ItemType } | null>(null);
  const [catModal, setCatModal] = useState<{ category?: Category } | null>(null);

  const cats = categories.data ?? [];
  const rows = useMemo(() => {
    const q = term.trim().toLowerCase();
    return (types.data ?? []).filter((x) => (selected === ALL || x.categoryCode === selected) && (!q || x.name.toLowerCase().includes(q) || x.code.includes(q)));
  }, [types.data, selected, term]);
  // the drawer follows the list: after a save it shows the new version
  const editingType = editing?.type ? (types.data ?? []).find((x) => x.id === editing.type!.id) ?? editing.type : undefined;

  return (
    <PageContainer
      subtitle={t('fieldTypes.subtitle')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} disabled={!cats.length} data-testid="type-new">
          {t('fieldTypes.newType')}
        </Button>
      }
    >
      {categories.isError ? <ProblemAlert error={categories.error} style={{ marginBottom: 16 }} /> : null}
      <Row gutter={16}>
        <Col xs={24} lg={6}>
          <Card
            title={t('fieldTypes.categories')}
            size="small"
            extra={
              <Button size="small" icon={<PlusOutlined />} onClick={() => setCatModal({})} data-testid="category-new">
                {t('fieldTypes.newCategory')}
              </Button>
            }
            styles={{ body: { padding: 4 } }}
          >
            <Menu
              mode="inline"
              selectedKeys={[selected]}
              onClick={({ key }) => setParams(key === ALL ? new URLSearchParams() : new URLSearchParams({ category: key }))}
              style={{ borderInlineEnd: 'none' }}
              items={[
                { key: ALL, label: <Space style={{ width: '100%', justifyContent: 'space-between' }}><span>{t('fieldTypes.allCategories')}</span><Badge count={types.data?.length ?? 0} showZero color="#8c8c8c" overflowCount={999} /></Space> },
                ...cats.map((c) => ({
                  key: c.code,
                  label: (
                    <Space style={{ width: '100%', justifyContent: 'space-between' }} data-testid={`category-${c.code}`}>
                      <span style={{ color: c.status === 'active' ? undefined : '#8c8c8c' }}>
                        {c.name}
                        {c.status !== 'active' ? `（${t('fieldTypes.inactive')}）` : ''}
                      </span>
                      <Space size={4}>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t('fieldTypes.typeCount', { n: c.typeCount })}
                        </Typography.Text>
                        <Tooltip title={t('fieldTypes.editCategory')}>
                          <Button
                            type="text"
                            size="small"
                            icon={<EditOutlined />}
                            aria-label={`${t('fieldTypes.editCategory')} ${c.name}`}
                            onClick={(e) => {
                              e.stopPropagation();
                              setCatModal({ category: c });
                            }}
                          />
                        </Tooltip>
                      </Space>
                    </Space>
                  ),
                })),
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={18}>
          <Card>
            <Input.Search allowClear value={term} onChange={(e) => setTerm(e.target.value)} placeholder={t('fieldTypes.search')} style={{ maxWidth: 320, marginBottom: 16 }} data-testid="types-search" />
            {types.isError ? (
              <ProblemAlert error={types.error} />
            ) : (
              <Table<ItemType>
                rowKey="id"
                size="middle"
                loading={types.isFetching}
                dataSource={rows}
                scroll={{ x: 900 }}
                pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (total) => t('common.total', { total }), hideOnSinglePage: true }}
                onRow={(r) => ({ onClick: () => setEditing({ type: r }), style: { cursor: 'pointer' } })}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('fieldTypes.empty')} /> }}
                columns={[
                  {
                    key: 'name',
                    title: t('fieldTypes.col.name'),
                    width: 230,
                    render: (_, r) => (
                      <Space size={6} wrap>
                        <Typography.Text strong type={r.status === 'active' ? undefined : 'secondary'}>
                          {r.name}
                        </Typography.Text>
                        {r.builtin ? <Tag color="blue">{t('fieldTypes.builtin')}</Tag> : null}
                        {r.status !== 'active' ? <Tag>{t('fieldTypes.inactive')}</Tag> : null}
                      </Space>
                    ),
                  },
                  { key: 'code', title: t('fieldTypes.col.code'), width: 160, render: (_, r) => <Typography.Text className="fq-mono" type="secondary">{r.code}</Typography.Text> },
                  ...(selected === ALL ? [{ key: 'category', title: t('fieldTypes.col.category'), width: 100, render: (_: unknown, r: ItemType) => <CategoryTag code={r.categoryCode} name={r.categoryName} /> }] : []),
                  {
                    key: 'needs',
                    title: t('fieldTypes.col.needs'),
                    width: 190,
                    render: (_, r) => (
                      <Space size={4} wrap>
                        {r.needsAddress ? <Tag icon={<EnvironmentOutlined />}>{t('fieldTypes.needs.address')}</Tag> : null}
                        {r.needsPhoto ? <Tag icon={<CameraOutlined />}>{t('fieldTypes.needs.photo')}</Tag> : null}
                        {r.needsLocation ? <Tag icon={<AimOutlined />}>{t('fieldTypes.needs.location')}</Tag> : null}
                        {!r.needsAddress && !r.needsPhoto && !r.needsLocation ? <Typography.Text type="secondary">{t('common.none')}</Typography.Text> : null}
                      </Space>
                    ),
                  },
                  { key: 'fields', title: t('fieldTypes.col.fields'), width: 70, render: (_, r) => t('fieldTypes.fieldCount', { n: r.formSchema.fields.length }) },
                  { key: 'version', title: t('fieldTypes.col.version'), width: 60, render: (_, r) => `v${r.version}` },
                  {
                    key: 'actions',
                    title: t('common.actions'),
                    width: 80,
                    render: (_, r) => (
                      <Button
                        type="link"
                        size="small"
                        icon={<EditOutlined />}
                        onClick={(e) => {
                          e.stopPropagation();
                          setEditing({ type: r });
                        }}
                        data-testid={`type-edit-${r.code}`}
                      >
                        {t('common.edit')}
                      </Button>
                    ),
                  },
                ]}
              />
            )}
          </Card>
        </Col>
      </Row>
      <TypeDrawer type={editingType} categories={cats} defaultCategory={selected === ALL ? undefined : selected} open={!!editing} onClose={() => setEditing(null)} />
      <CategoryModal category={catModal?.category} open={!!catModal} onClose={() => setCatModal(null)} />
    </PageContainer>
  );
}

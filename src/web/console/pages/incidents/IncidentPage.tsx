import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { App, Alert, Button, Card, Col, Descriptions, Empty, Flex, Form, Input, List, Modal, Popconfirm, Row, Select, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { CheckOutlined, EnvironmentOutlined, LinkOutlined, PlayCircleOutlined, RedoOutlined, ShareAltOutlined, MessageOutlined } from '@ant-design/icons';
import { useI18n } from '../../../shared/i18n';
import { DATE_TIME_SHORT, formatTime } from '../../../shared/format';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PageContainer } from '../../layout/PageContainer';
import { AddressPicker } from '../../components/AddressPicker';
import { PersonPicker } from '../../components/PersonPicker';
import { applyProblemFields } from '../../components/formErrors';
import { useDebounced } from '../../components/useDebounced';
import { useAuth } from '../../auth/AuthProvider';
import { isOpen, useDiversionTargets, useIncident, useIncidentActions } from '../../data/incidents';
import type { IncidentDetail, IncidentLink } from '../../data/incidents';
import { useUnitList } from '../../data/units';
import { AgeText, DiversionStatusTag, IncidentStatusTag } from './labels';

type Action = 'handle' | 'close' | 'reopen' | 'note' | 'divert';

/** 警情详情: what happened and where, the handling so far, links, diversions; actions by state. */
export default function IncidentPage() {
  const { id } = useParams();
  const { t, tx } = useI18n();
  const { can } = useAuth();
  const q = useIncident(id);
  const [action, setAction] = useState<Action | null>(null);
  const [linking, setLinking] = useState(false);
  const i = q.data;
  const write = can('incident.write');

  if (q.isError) {
    return (
      <PageContainer>
        <ProblemAlert error={q.error} />
      </PageContainer>
    );
  }
  if (!i) {
    return (
      <PageContainer>
        <Flex justify="center" style={{ padding: 48 }}>
          <Spin />
        </Flex>
      </PageContainer>
    );
  }
  const open = isOpen(i.status);

  return (
    <PageContainer
      title={
        <Space size={12} wrap>
          <span className="fq-mono">{i.code}</span>
          <IncidentStatusTag status={i.status} />
          {open ? (
            <span style={{ fontSize: 14, fontWeight: 400 }}>
              <AgeText hours={i.ageHours} status={i.status} />
            </span>
          ) : null}
        </Space>
      }
      subtitle={`${i.category.parentName ? `${i.category.parentName} / ` : ''}${i.category.name} · ${i.orgUnit.name}`}
      extra={
        write ? (
          <Flex gap={8} wrap>
            {i.status === 'received' ? (
              <Button type="primary" icon={<PlayCircleOutlined />} onClick={() => setAction('handle')} data-testid="incident-handle">
                {t('incident.action.handle')}
              </Button>
            ) : null}
            {open ? (
              <Button type={i.status === 'handling' ? 'primary' : 'default'} icon={<CheckOutlined />} onClick={() => setAction('close')} data-testid="incident-close">
                {t('incident.action.close')}
              </Button>
            ) : null}
            {open ? (
              <Button icon={<ShareAltOutlined />} onClick={() => setAction('divert')} data-testid="incident-divert">
                {t('incident.action.divert')}
              </Button>
            ) : null}
            {!open ? (
              <Button icon={<RedoOutlined />} onClick={() => setAction('reopen')} data-testid="incident-reopen">
                {t('incident.action.reopen')}
              </Button>
            ) : null}
            <Button icon={<MessageOutlined />} onClick={() => setAction('note')}>
              {t('incident.action.note')}
            </Button>
          </Flex>
        ) : null
      }
    >
      {!i.category.policeMatter && open ? <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('incident.detail.nonPoliceHint')} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card title={t('incident.detail.basics')}>
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t('incident.field.occurredAt')}>{formatTime(i.occurredAt, DATE_TIME_SHORT)}</Descriptions.Item>
              <Descriptions.Item label={t('incident.field.reportedAt')}>{formatTime(i.reportedAt, DATE_TIME_SHORT)}</Descriptions.Item>
              <Descriptions.Item label={t('incident.field.source')}>
                {t(`incident.source.${i.source}`)}
                {i.externalNo ? <Typography.Text type="secondary"> · {i.externalNo}</Typography.Text> : null}
              </Descriptions.Item>
              <Descriptions.Item label={t('incident.field.category')}>
                {i.category.name}
                {!i.category.policeMatter ? <Tag style={{ marginInlineStart: 8 }}>{t('incident.category.nonPolice')}</Tag> : null}
              </Descriptions.Item>
              <Descriptions.Item label={t('incident.field.handlingUnit')}>{i.orgUnit.name}</Descriptions.Item>
              <Descriptions.Item label={t('incident.field.grid')}>{i.grid?.name ?? t('common.none')}</Descriptions.Item>
              <Descriptions.Item label={t('incident.field.place')} span={2}>
                {i.place || t('common.none')}
                {i.address?.fullText && i.address.fullText !== i.place ? <Typography.Text type="secondary" style={{ display: 'block' }}>{i.address.fullText}</Typography.Text> : null}
              </Descriptions.Item>
              <Descriptions.Item label={t('incident.field.summary')} span={2}>
                <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{i.summary}</Typography.Paragraph>
              </Descriptions.Item>
              <Descriptions.Item label={t('incident.field.callerName')}>{i.callerName ?? t('common.none')}</Descriptions.Item>
              <Descriptions.Item label={t('incident.field.callerPhone')}>{i.callerPhone ?? t('common.none')}</Descriptions.Item>
              <Descriptions.Item label={t('incident.field.handler')}>{i.handler?.name ?? t('common.none')}</Descriptions.Item>
              <Descriptions.Item label={t('incident.field.closedAt')}>{formatTime(i.closedAt, DATE_TIME_SHORT)}</Descriptions.Item>
              {i.result ? (
                <Descriptions.Item label={t('incident.field.result')} span={2}>
                  {i.result}
                </Descriptions.Item>
              ) : null}
            </Descriptions>
            <Typography.Text type="secondary" style={{ display: 'block', marginTop: 12, fontSize: 12 }}>
              {t('incident.detail.maskedNote')}
            </Typography.Text>
          </Card>

          <Card
            title={t('incident.detail.links')}
            style={{ marginTop: 16 }}
            extra={
              write ? (
                <Button size="small" icon={<LinkOutlined />} onClick={() => setLinking(true)} data-testid="incident-link-add">
                  {t('incident.link.add')}
                </Button>
              ) : null
            }
          >
            <Links incident={i} canEdit={write} />
          </Card>

          <Card title={t('incident.detail.diversions')} style={{ marginTop: 16 }}>
            {i.diversions.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incident.detail.noDiversions')} />
            ) : (
              <List
                dataSource={i.diversions}
                renderItem={(d) => (
                  <List.Item>
                    <List.Item.Meta
                      title={
                        <Space>
                          {d.department.name}
                          <DiversionStatusTag status={d.status} />
                        </Space>
                      }
                      description={
                        <div>
                          <div>
                            {t('incident.diversion.reason')}
                            {t('common.colon')}
                            {d.reason}
                          </div>
                          {d.feedback ? (
                            <div>
                              {t('incident.diversion.feedback')}
                              {t('common.colon')}
                              {d.feedback}
                            </div>
                          ) : null}
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {t('incident.diversion.sentBy', { name: d.divertedBy?.name ?? '—', at: formatTime(d.divertedAt, DATE_TIME_SHORT) })}
                            {d.answeredAt ? ` · ${t('incident.diversion.answeredBy', { name: d.answeredBy?.name ?? '—', at: formatTime(d.answeredAt, DATE_TIME_SHORT) })}` : ''}
                          </Typography.Text>
                        </div>
                      }
                    />
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card title={t('incident.detail.location')}>
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Typography.Text>
                {i.lat != null && i.lng != null ? t('incident.detail.coords', { lat: i.lat.toFixed(5), lng: i.lng.toFixed(5) }) : t('incident.detail.noCoords')}
              </Typography.Text>
              <Link to={`/command/map?incident=${i.id}`}>
                <EnvironmentOutlined /> {t('incident.detail.onMap')}
              </Link>
            </Space>
          </Card>
          <Card title={t('incident.detail.timeline')} style={{ marginTop: 16 }}>
            <Timeline
              items={timeline(i).map((e) => ({
                color: e.action === 'closed' || e.action === 'diversion_done' ? 'green' : e.action === 'diversion_returned' || e.action === 'reopened' ? 'red' : 'blue',
                content: (
                  <div>
                    <Typography.Text strong>{tx(`incident.event.${e.action}`, e.action)}</Typography.Text>
                    <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                      {formatTime(e.at, DATE_TIME_SHORT)} {e.actor?.name ?? t('incident.event.system')}
                    </Typography.Text>
                    {e.note ? <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div> : null}
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
      {action ? <ActionModal incident={i} action={action} onClose={() => setAction(null)} /> : null}
      {linking ? <LinkModal incident={i} onClose={() => setLinking(false)} /> : null}
    </PageContainer>
  );
}

/** The events, led by the report itself when it has no event of its own (records loaded in bulk). */
function timeline(i: IncidentDetail): IncidentDetail['events'] {
  if (i.events[0]?.action === 'received') return i.events;
  return [{ id: 'received', at: i.reportedAt, action: 'received', note: null, data: null, actor: null }, ...i.events];
}

function Links({ incident, canEdit }: { incident: IncidentDetail; canEdit: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const actions = useIncidentActions(incident.id);
  if (!incident.links.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incident.link.empty')} />;
  const target = (l: IncidentLink) =>
    l.kind === 'person' ? `/registry/persons/${l.targetId}` : l.kind === 'address' ? `/registry/addresses/${l.targetId}` : null;
  return (
    <List
      size="small"
      dataSource={incident.links}
      renderItem={(l) => {
        const to = target(l);
        return (
          <List.Item
            actions={
              canEdit
                ? [
                    <Popconfirm
                      key="del"
                      title={t('incident.link.removeConfirm')}
                      onConfirm={async () => {
                        await actions.unlink.mutateAsync(l.id);
                        message.success(t('incident.link.removed'));
                      }}
                    >
                      <Button type="link" size="small" danger>
                        {t('incident.link.remove')}
                      </Button>
                    </Popconfirm>,
                  ]
                : []
            }
          >
            <Space wrap>
              <Tag>{t(`incident.link.kind.${l.kind}`)}</Tag>
              {to ? <Link to={to}>{l.label}</Link> : <span className="fq-mono">{l.label}</span>}
              {l.idNumber ? <Typography.Text type="secondary" className="fq-mono">{l.idNumber}</Typography.Text> : null}
              {l.role ? <Typography.Text type="secondary">{l.role}</Typography.Text> : null}
            </Space>
          </List.Item>
        );
      }}
    />
  );
}

const NEEDS_TEXT: Record<Action, boolean> = { handle: false, close: true, reopen: true, note: true, divert: true };

function ActionModal({ incident, action, onClose }: { incident: IncidentDetail; action: Action; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ text?: string; departmentId?: string }>();
  const [error, setError] = useState<unknown>(null);
  const actions = useIncidentActions(incident.id);
  const targets = useDiversionTargets(action === 'divert');
  const mutation = actions[action];
  const textField = { handle: 'note', close: 'result', reopen: 'reason', note: 'note', divert: 'reason' }[action];

  const submit = async (v: { text?: string; departmentId?: string }) => {
    setError(null);
    const text = v.text?.trim() ?? '';
    try {
      if (action === 'handle') await actions.handle.mutateAsync({ version: incident.version, ...(text ? { note: text } : {}) });
      else if (action === 'close') await actions.close.mutateAsync({ version: incident.version, result: text });
      else if (action === 'reopen') await actions.reopen.mutateAsync({ version: incident.version, reason: text });
      else if (action === 'note') await actions.note.mutateAsync(text);
      else await actions.divert.mutateAsync({ version: incident.version, departmentId: v.departmentId!, reason: text });
      message.success(t(`incident.action.${action}.done`));
      onClose();
    } catch (err) {
      setError(err);
      applyProblemFields(form, err, { [textField]: 'text', departmentId: 'departmentId' });
    }
  };

  return (
    <Modal open title={t(`incident.action.${action}`)} onCancel={onClose} onOk={() => form.submit()} confirmLoading={mutation.isPending} okText={t(`incident.action.${action}`)} destroyOnHidden>
      {error ? <ProblemAlert error={error} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" onFinish={submit}>
        {action === 'divert' ? (
          <Form.Item name="departmentId" label={t('incident.diversion.department')} rules={[{ required: true, message: t('incident.diversion.departmentRequired') }]}>
            <Select
              loading={targets.isLoading}
              placeholder={t('incident.diversion.departmentPlaceholder')}
              options={(targets.data ?? []).map((d) => ({ value: d.id, label: d.hotline ? `${d.name}（${t('incident.diversion.hotline')}）` : d.name }))}
              showSearch={{ optionFilterProp: 'label' }}
            />
          </Form.Item>
        ) : null}
        <Form.Item
          name="text"
          label={t(`incident.action.${action}.text`)}
          rules={NEEDS_TEXT[action] ? [{ required: true, whitespace: true, message: t(`incident.action.${action}.required`) }] : []}
        >
          <Input.TextArea rows={4} maxLength={action === 'reopen' || action === 'handle' ? 1000 : 2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function UnitSearch({ value, onChange }: { value?: string; onChange?: (v: string) => void }) {
  const { t } = useI18n();
  const [term, setTerm] = useState('');
  const q = useDebounced(term, 300);
  const list = useUnitList({ q: q || undefined, page: 1, pageSize: 10 });
  const options = useMemo(() => (list.data?.items ?? []).map((u) => ({ value: u.id, label: u.name })), [list.data]);
  return <Select showSearch={{ filterOption: false, onSearch: setTerm }} value={value} onChange={onChange} options={options} loading={list.isFetching} placeholder={t('incident.link.unitPlaceholder')} />;
}

function LinkModal({ incident, onClose }: { incident: IncidentDetail; onClose: () => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ kind: IncidentLink['kind']; targetId?: string; ref?: string; role?: string }>();
  const [error, setError] = useState<unknown>(null);
  const actions = useIncidentActions(incident.id);
  const kind = Form.useWatch('kind', form) ?? 'person';
  const kinds = (['person', 'address', 'unit', 'case'] as const).filter((k) => (k === 'person' ? can('person.read') : k === 'address' ? can('address.read') : k === 'unit' ? can('unit.read') : true));

  const submit = async (v: { kind: IncidentLink['kind']; targetId?: string; ref?: string; role?: string }) => {
    setError(null);
    try {
      await actions.link.mutateAsync({ kind: v.kind, ...(v.kind === 'case' ? { ref: v.ref?.trim() } : { targetId: v.targetId }), ...(v.role?.trim() ? { role: v.role.trim() } : {}) });
      message.success(t('incident.link.added'));
      onClose();
    } catch (err) {
      setError(err);
      applyProblemFields(form, err, { targetId: 'targetId', ref: 'ref', role: 'role' });
    }
  };

  return (
    <Modal open title={t('incident.link.add')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={actions.link.isPending} destroyOnHidden width={560}>
      {error ? <ProblemAlert error={error} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: kinds[0] }}>
        <Form.Item name="kind" label={t('incident.link.kindLabel')}>
          <Select options={kinds.map((k) => ({ value: k, label: t(`incident.link.kind.${k}`) }))} onChange={() => form.setFieldsValue({ targetId: undefined })} />
        </Form.Item>
        {kind === 'case' ? (
          <Form.Item name="ref" label={t('incident.link.caseNo')} rules={[{ required: true, whitespace: true, message: t('incident.link.caseRequired') }]}>
            <Input maxLength={64} className="fq-mono" />
          </Form.Item>
        ) : (
          <Form.Item name="targetId" label={t(`incident.link.kind.${kind}`)} rules={[{ required: true, message: t('incident.link.targetRequired') }]}>
            {kind === 'person' ? <PersonPicker /> : kind === 'address' ? <AddressPicker /> : <UnitSearch />}
          </Form.Item>
        )}
        <Form.Item name="role" label={t('incident.link.role')}>
          <Input maxLength={32} placeholder={t('incident.link.rolePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

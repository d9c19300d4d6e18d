import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Flex, Form, Input, List, Modal, Row, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, CheckOutlined, ExclamationCircleOutlined, StopOutlined, ThunderboltOutlined, WarningOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { formatTime, DATE_TIME_SHORT } from '../../../../shared/format';
import { isApiError } from '../../../../shared/api';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { PageContainer } from '../../../layout/PageContainer';
import { useAuth } from '../../../auth/AuthProvider';
import { applyProblemFields } from '../../../components/formErrors';
import { useChange, useChangeActions } from '../../../data/field';
import type { ChangeConflict, ChangeDetail, ConflictField, LabelledValue } from '../../../data/field';
import { ChangeKindTag, ChangeStatusTag, WaitText } from '../items/labels';

type Dialog = 'apply' | 'override' | 'reject' | null;

function ConflictTable({ conflict }: { conflict: ChangeConflict }) {
  const { t } = useI18n();
  const unknown = <Typography.Text type="secondary">{t('fieldChange.conflict.unknown')}</Typography.Text>;
  return (
    <Table<ConflictField>
      rowKey="field"
      size="small"
      pagination={false}
      dataSource={conflict.fields}
      rowClassName={(f) => (f.changed ? 'fq-row-conflict' : '')}
      onRow={(f) => ({ style: f.changed ? { background: 'rgba(255, 77, 79, 0.08)' } : undefined })}
      columns={[
        {
          key: 'label',
          title: t('fieldChange.conflict.field'),
          width: 140,
          render: (_, f) => (
            <Space size={4}>
              {f.changed ? <WarningOutlined style={{ color: '#cf1322' }} /> : null}
              <Typography.Text strong={f.changed}>{f.label}</Typography.Text>
            </Space>
          ),
        },
        { key: 'base', title: t('fieldChange.conflict.base'), render: (_, f) => f.base ?? unknown },
        { key: 'mine', title: t('fieldChange.conflict.mine'), render: (_, f) => f.mine ?? t('common.none') },
        {
          key: 'current',
          title: t('fieldChange.conflict.current'),
          render: (_, f) => (
            <Space size={4}>
              <Typography.Text type={f.changed ? 'danger' : undefined} strong={f.changed}>
                {f.current ?? t('common.none')}
              </Typography.Text>
              {f.changed ? <Tag color="red">{t('fieldChange.conflict.changed')}</Tag> : null}
            </Space>
          ),
        },
      ]}
      data-testid="conflict-table"
    />
  );
}

function ValueList({ rows, highlight, testId }: { rows: LabelledValue[]; highlight: Set<string>; testId: string }) {
  const { t } = useI18n();
  return (
    <Descriptions column={1} bordered size="small" styles={{ label: { width: 140 } }} data-testid={testId}>
      {rows.map((r) => (
        <Descriptions.Item
          key={r.field}
          label={
            <Space size={4}>
              {highlight.has(r.field) ? <WarningOutlined style={{ color: '#cf1322' }} /> : null}
              {r.label}
            </Space>
          }
          styles={highlight.has(r.field) ? { content: { background: 'rgba(255, 77, 79, 0.08)' } } : undefined}
        >
          {r.value ?? t('common.none')}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

function Registry({ c, highlight }: { c: ChangeDetail; highlight: Set<string> }) {
  const { t } = useI18n();
  const rows = c.current?.fields;
  return (
    <Card title={t('fieldChange.current')} style={{ marginBottom: 16 }} data-testid="change-current">
      {c.current && !c.current.exists && c.kind !== 'housing_update' ? (
        <Alert type="warning" showIcon title={t('fieldChange.targetGone')} style={{ marginBottom: 12 }} />
      ) : null}
      {c.current?.name ? (
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {c.current.name}
        </Typography.Title>
      ) : null}
      {rows && rows.length ? <ValueList rows={rows} highlight={highlight} testId="change-current-fields" /> : null}
      {c.kind === 'move_out' && c.current?.fromDate ? (
        <Descriptions column={1} size="small" style={{ marginTop: 8 }}>
          <Descriptions.Item label={t('fieldChange.residence')}>
            {c.current.toDate ? t('fieldChange.residenceEnded', { from: c.current.fromDate, to: c.current.toDate }) : t('fieldChange.residenceRange', { from: c.current.fromDate })}
          </Descriptions.Item>
        </Descriptions>
      ) : null}
      {c.kind === 'housing_update' && !c.current?.exists ? <Typography.Text type="secondary">{t('fieldChange.currentNone')}</Typography.Text> : null}
      {c.kind === 'person_add' || c.kind === 'move_out' ? (
        <>
          <Typography.Text strong style={{ display: 'block', margin: '12px 0 8px' }}>
            {t('fieldChange.residents')}
          </Typography.Text>
          <List
            size="small"
            bordered
            dataSource={c.residents}
            locale={{ emptyText: t('fieldChange.noResidents') }}
            renderItem={(r) => (
              <List.Item style={{ background: c.kind === 'move_out' && r.residenceId === c.targetId ? 'rgba(250, 173, 20, 0.12)' : undefined }}>
                <Space size={8} wrap>
                  <Link to={`/registry/persons/${r.personId}`}>{r.name}</Link>
                  <Tag>{r.relationName}</Tag>
                  <Typography.Text type="secondary" className="fq-mono">
                    {r.idMasked ?? t('common.none')}
                  </Typography.Text>
                  <Typography.Text type="secondary">{t('fieldChange.residenceRange', { from: r.fromDate })}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </>
      ) : null}
      {c.kind === 'unit_add' || c.kind === 'unit_update' ? (
        <>
          <Typography.Text strong style={{ display: 'block', margin: '12px 0 8px' }}>
            {t('fieldChange.units')}
          </Typography.Text>
          <List
            size="small"
            bordered
            dataSource={c.units}
            locale={{ emptyText: t('fieldChange.noUnits') }}
            renderItem={(u) => (
              <List.Item>
                <Space size={8} wrap>
                  <Typography.Text strong={u.id === c.targetId}>{u.name}</Typography.Text>
                  <Typography.Text type="secondary" className="fq-mono">
                    {u.creditCode ?? t('common.none')}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </>
      ) : null}
    </Card>
  );
}

function Matches({ c }: { c: ChangeDetail }) {
  const { t } = useI18n();
  if (!c.matches.length || (c.status !== 'pending' && c.status !== 'conflict')) return null;
  return (
    <Card title={t('fieldChange.matches')} style={{ marginBottom: 16 }} data-testid="change-matches">
      <Typography.Paragraph type="secondary">{t('fieldChange.matchesHelp')}</Typography.Paragraph>
      {c.matches.map((m, i) =>
        m.inScope ? (
          <Space key={m.personId} size={8} wrap>
            <Link to={`/registry/persons/${m.personId}`}>{m.name}</Link>
            <Typography.Text type="secondary" className="fq-mono">
              {m.idMasked}
            </Typography.Text>
            {m.sameAddress ? <Tag color="green">{t('fieldChange.matchSameAddress')}</Tag> : m.currentAddress ? <Typography.Text type="secondary">{t('fieldChange.matchLivesAt', { address: m.currentAddress })}</Typography.Text> : null}
          </Space>
        ) : (
          <Alert key={`outside-${i}`} type="warning" showIcon title={t('fieldChange.matchOutside')} />
        ),
      )}
    </Card>
  );
}

function ReasonModal({ open, onClose, onSubmit, pending, error }: { open: boolean; onClose: () => void; onSubmit: (reason: string, form: ReturnType<typeof Form.useForm<{ reason: string }>>[0]) => void; pending: boolean; error: unknown }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Modal
      open={open}
      title={t('fieldChange.reject.title')}
      okText={t('fieldChange.reject.ok')}
      okButtonProps={{ danger: true, loading: pending, 'data-testid': 'reject-ok' }}
      onOk={() => void form.validateFields().then((v) => onSubmit(v.reason.trim(), form))}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('fieldChange.reject.help')}</Typography.Paragraph>
      {error ? <ProblemAlert error={error} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="reason" label={t('fieldChange.reject.reason')} rules={[{ required: true, whitespace: true, min: 2, message: t('fieldChange.reject.required') }]}>
          <Input.TextArea rows={4} maxLength={500} showCount placeholder={t('fieldChange.reject.placeholder')} data-testid="reject-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ApplyModal({ c, mode, onClose, onSubmit, pending, error }: { c: ChangeDetail; mode: 'apply' | 'override'; onClose: () => void; onSubmit: (note: string) => void; pending: boolean; error: unknown }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const override = mode === 'override';
  return (
    <Modal
      open
      width={override ? 760 : 520}
      title={
        <Space>
          {override ? <ExclamationCircleOutlined style={{ color: '#cf1322' }} /> : null}
          {override ? t('fieldChange.override.title') : t('fieldChange.apply.title')}
        </Space>
      }
      okText={override ? t('fieldChange.override.ok') : t('fieldChange.apply.ok')}
      okButtonProps={{ danger: override, loading: pending, 'data-testid': 'apply-ok' }}
      onOk={() => onSubmit(note.trim())}
      onCancel={onClose}
    >
      <Typography.Paragraph type="secondary">{override ? t('fieldChange.override.help') : t('fieldChange.apply.help')}</Typography.Paragraph>
      {override && c.conflict ? (
        <div style={{ marginBottom: 12 }}>
          <ConflictTable conflict={c.conflict} />
        </div>
      ) : null}
      {error ? <ProblemAlert error={error} style={{ marginBottom: 12 }} /> : null}
      <Input.TextArea rows={3} maxLength={500} showCount style={{ marginBottom: 16 }} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('fieldChange.apply.note')} data-testid="apply-note" />
    </Modal>
  );
}

function Outcome({ c }: { c: ChangeDetail }) {
  const { t } = useI18n();
  const r = c.result;
  if (c.status === 'applied' && r) {
    return (
      <Alert
        type="success"
        showIcon
        style={{ marginBottom: 16 }}
        title={
          <Space size={8} wrap>
            <span>{r.message ?? t('fieldChange.apply.done')}</span>
            {r.personId ? <Link to={`/registry/persons/${r.personId}`}>{t('fieldChange.openPerson')}</Link> : null}
            {r.unitId ? <Link to={`/registry/units?unit=${r.unitId}`}>{t('fieldChange.openUnit')}</Link> : null}
            {r.override ? <Tag color="red">{t('fieldChange.overrode')}</Tag> : null}
            {c.direct ? <Tag icon={<ThunderboltOutlined />} color="warning">{t('fieldChange.directApplied')}</Tag> : null}
          </Space>
        }
        data-testid="change-outcome"
      />
    );
  }
  if (c.status === 'rejected') {
    return <Alert type="error" showIcon style={{ marginBottom: 16 }} title={`${t('fieldChange.reviewNote')}${t('common.colon')}${c.reviewNote ?? ''}`} data-testid="change-outcome" />;
  }
  if (r?.applyError) {
    return <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('fieldChange.applyError')} description={r.applyError.message} />;
  }
  return null;
}

/** One field change: the proposal beside the registry as it is now, any conflict, and the review. */
export default function ChangePage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const change = useChange(id);
  const actions = useChangeActions(id);
  const [dialog, setDialog] = useState<Dialog>(null);
  const c = change.data;
  const open = !!c && (c.status === 'pending' || c.status === 'conflict');
  const highlight = new Set((c?.conflict?.fields ?? []).filter((f) => f.changed).map((f) => f.field));

  const apply = (override: boolean, note: string) =>
    actions.apply.mutate(
      { ...(override ? { override: true } : {}), ...(note ? { note } : {}) },
      {
        onSuccess: () => {
          setDialog(null);
          message.success(t('fieldChange.apply.done'));
        },
        onError: (err) => {
          if (isApiError(err) && err.extensions.reason === 'FIELD_CONFLICT') {
            setDialog(null);
            actions.apply.reset();
            message.warning(t('fieldChange.apply.conflict'));
          }
        },
      },
    );

  return (
    <PageContainer
      title={c ? c.summary : t('nav.field.change')}
      subtitle={
        c ? (
          <Space size={6} wrap>
            <ChangeKindTag kind={c.kind} name={c.kindName} />
            <ChangeStatusTag status={c.status} />
            {c.direct ? (
              <Tag icon={<ThunderboltOutlined />} color="warning">
                {t('fieldChanges.direct')}
              </Tag>
            ) : null}
            {open ? <WaitText hours={c.ageHours} open /> : null}
          </Space>
        ) : undefined
      }
      extra={
        <Flex gap={8} wrap>
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/field/changes')}>
            {t('fieldChange.back')}
          </Button>
          {c && open && can('field.review') ? (
            <>
              <Button danger icon={<StopOutlined />} onClick={() => setDialog('reject')} data-testid="change-reject">
                {t('fieldChange.action.reject')}
              </Button>
              {c.status === 'conflict' ? (
                <Button type="primary" danger icon={<ExclamationCircleOutlined />} onClick={() => setDialog('override')} data-testid="change-override">
                  {t('fieldChange.action.override')}
                </Button>
              ) : (
                <Button type="primary" icon={<CheckOutlined />} onClick={() => setDialog('apply')} data-testid="change-apply">
                  {t('fieldChange.action.apply')}
                </Button>
              )}
            </>
          ) : null}
        </Flex>
      }
    >
      {change.isError && !c ? (
        <ProblemAlert error={change.error} />
      ) : !c ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : (
        <>
          <Outcome c={c} />
          {c.conflict && c.status === 'conflict' ? (
            <Card
              title={
                <Space>
                  <WarningOutlined style={{ color: '#cf1322' }} />
                  {t('fieldChange.conflict.title')}
                </Space>
              }
              style={{ marginBottom: 16, borderColor: '#ffa39e' }}
              data-testid="change-conflict"
            >
              <Typography.Paragraph>{c.conflict.message}</Typography.Paragraph>
              <ConflictTable conflict={c.conflict} />
              <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
                {t('fieldChange.conflict.help')}
              </Typography.Paragraph>
            </Card>
          ) : null}
          <Row gutter={16}>
            <Col xs={24} xl={12}>
              <Card title={t('fieldChange.proposal')} style={{ marginBottom: 16 }}>
                {c.proposal.length ? <ValueList rows={c.proposal} highlight={highlight} testId="change-proposal" /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
              </Card>
              <Matches c={c} />
            </Col>
            <Col xs={24} xl={12}>
              <Registry c={c} highlight={highlight} />
            </Col>
          </Row>
          <Card title={t('fieldChange.info')}>
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t('fieldChange.worker')}>
                {c.worker.name}（{c.orgUnit.name}）
              </Descriptions.Item>
              <Descriptions.Item label={t('fieldChange.address')}>
                <Link to={`/registry/addresses/${c.address.id}`}>{c.address.fullText}</Link>
              </Descriptions.Item>
              <Descriptions.Item label={t('fieldChange.occurredAt')}>{formatTime(c.occurredAt, DATE_TIME_SHORT)}</Descriptions.Item>
              <Descriptions.Item label={t('fieldChange.receivedAt')}>{formatTime(c.receivedAt, DATE_TIME_SHORT)}</Descriptions.Item>
              {c.note ? <Descriptions.Item label={t('fieldChange.note')}>{c.note}</Descriptions.Item> : null}
              {c.baseVersion ? <Descriptions.Item label={t('fieldChange.baseVersion')}>{formatTime(c.baseVersion)}</Descriptions.Item> : null}
              {c.reviewerName ? (
                <Descriptions.Item label={t('fieldChange.reviewer')}>
                  {c.reviewerName} · {formatTime(c.reviewedAt, DATE_TIME_SHORT)}
                </Descriptions.Item>
              ) : null}
              {c.reviewNote && c.status !== 'rejected' ? <Descriptions.Item label={t('fieldChange.reviewNote')}>{c.reviewNote}</Descriptions.Item> : null}
            </Descriptions>
          </Card>
          {dialog === 'apply' || dialog === 'override' ? (
            <ApplyModal
              c={c}
              mode={dialog}
              onClose={() => {
                setDialog(null);
                actions.apply.reset();
              }}
              onSubmit={(note) => apply(dialog === 'override', note)}
              pending={actions.apply.isPending}
              error={actions.apply.error}
            />
          ) : null}
          <ReasonModal
            open={dialog === 'reject'}
            onClose={() => {
              setDialog(null);
              actions.reject.reset();
            }}
            pending={actions.reject.isPending}
            error={actions.reject.error}
            onSubmit={(reason, form) =>
              actions.reject.mutate(reason, {
                onSuccess: () => {
                  setDialog(null);
                  message.success(t('fieldChange.reject.done'));
                },
                onError: (err) => applyProblemFields(form, err, { reason: 'reason' }),
              })
            }
          />
        </>
      )}
    </PageContainer>
  );
}

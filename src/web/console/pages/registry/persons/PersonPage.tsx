import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Empty, Form, Input, Modal, Row, Skeleton, Space, Table, Tag, Timeline, Typography } from 'antd';
import { AimOutlined, ArrowLeftOutlined, EditOutlined, EyeOutlined, ImportOutlined, LogoutOutlined } from '@ant-design/icons';
import { api } from '../../../../shared/api';
import { useI18n } from '../../../../shared/i18n';
import { formatTime } from '../../../../shared/format';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { PageContainer } from '../../../layout/PageContainer';
import { useAuth } from '../../../auth/AuthProvider';
import { usePersonPage, useUnitBoundary } from '../../../data/population';
import type { Employment, LocateAnswer, Residence } from '../../../data/population';
import { PersonFormDrawer } from './PersonFormDrawer';
import { MoveInModal, MoveOutModal } from './ResidenceModals';
import type { Resident } from '../../../data/registry';
import { GridMap } from './GridMap';

/** Asks for a purpose (at least 4 characters) before a sensitive look-up. */
function PurposeModal(props: { title: string; hint: string; okText: string; loading?: boolean; error?: unknown; onOk: (purpose: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ purpose: string }>();
  return (
    <Modal open title={props.title} okText={props.okText} confirmLoading={props.loading} onOk={() => form.submit()} onCancel={props.onClose} destroyOnHidden>
      <Typography.Paragraph type="secondary">{props.hint}</Typography.Paragraph>
      {props.error ? <ProblemAlert error={props.error} style={{ marginBottom: 16 }} fieldLabels={{ purpose: t('registry.person.purpose') }} /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => props.onOk(v.purpose.trim())}>
        <Form.Item
          name="purpose"
          label={t('registry.person.purpose')}
          rules={[{ required: true, whitespace: true, min: 4, message: t('registry.person.purposeRequired') }]}
        >
          <Input maxLength={100} autoFocus placeholder={t('registry.person.purposePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function shortLabel(text: string): string {
  return text.length > 18 ? `…${text.slice(-18)}` : text;
}

function PeopleTable({ rows }: { rows: Resident[] }) {
  const { t, tx } = useI18n();
  return (
    <Table<Resident>
      size="small"
      rowKey="residenceId"
      pagination={false}
      dataSource={rows}
      scroll={{ x: 480 }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('registry.person.noHousehold')} /> }}
      columns={[
        {
          key: 'name',
          title: t('registry.residents.name'),
          onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
          render: (_, r) => <Link to={`/registry/persons/${r.personId}`}>{r.name}</Link>,
        },
        { key: 'rel', title: t('registry.residents.relation'), render: (_, r) => tx(`registry.relation.${r.relation}`, r.relationName) },
        {
          key: 'sa',
          title: t('registry.residents.sexAge'),
          onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
          render: (_, r) =>
            [r.sex ? tx(`registry.sex.${r.sex}`, r.sex) : null, r.age != null ? t('registry.residents.age', { age: r.age }) : null].filter(Boolean).join(' · '),
        },
        {
          key: 'id',
          title: t('registry.residents.idNumber'),
          render: (_, r) => (
            <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
              {r.idNumber ?? t('common.none')}
            </Typography.Text>
          ),
        },
      ]}
    />
  );
}

function ResidenceTimeline({ rows, onMoveOut }: { rows: Residence[]; onMoveOut?: (r: Residence) => void }) {
  const { t, tx } = useI18n();
  if (rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('registry.person.noResidences')} />;
  return (
    <Timeline
      style={{ marginTop: 8 }}
      items={rows.map((r) => ({
        key: r.id,
        color: r.current ? 'green' : 'gray',
        content: (
          <div>
            <Link to={`/registry/addresses/${r.address.id}`}>{r.address.fullText}</Link>
            <div>
              <Space size={4} wrap>
                {r.current ? <Tag color="green">{t('registry.person.current')}</Tag> : null}
                <Tag variant="filled">{tx(`registry.relation.${r.relation}`, r.relationName)}</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.fromDate} ~ {r.toDate ?? t('registry.person.now')}
                </Typography.Text>
                {r.current && onMoveOut ? (
                  <Button size="small" type="link" danger icon={<LogoutOutlined />} onClick={() => onMoveOut(r)} data-testid="move-out">
                    {t('registry.move.out')}
                  </Button>
                ) : null}
              </Space>
            </div>
          </div>
        ),
      }))}
    />
  );
}

function EmploymentList({ rows }: { rows: Employment[] }) {
  const { t } = useI18n();
  if (rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('registry.person.noEmployment')} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {rows.map((e) => (
        <div key={e.id}>
          <Space size={4} wrap>
            <Typography.Text strong>{e.unit.name}</Typography.Text>
            {e.role ? <Tag variant="filled">{e.role}</Tag> : null}
            {e.current ? <Tag color="green">{t('registry.person.current')}</Tag> : null}
          </Space>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {e.fromDate} ~ {e.toDate ?? t('registry.person.now')}
              {e.unit.address ? ` · ${e.unit.address}` : ''}
            </Typography.Text>
          </div>
        </div>
      ))}
    </Space>
  );
}

function LocateResult({ data }: { data: LocateAnswer }) {
  const { t } = useI18n();
  const cur = data.current;
  const boundary = useUnitBoundary(cur?.address.grid?.id);
  if (!cur) return <Alert type="warning" showIcon title={t('registry.locate.noCurrent')} />;
  const a = cur.address;
  const point = a.lng != null && a.lat != null ? { lng: a.lng, lat: a.lat } : null;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <div>
        <Typography.Text type="secondary">{t('registry.locate.current')}</Typography.Text>
        <div>
          <Link to={`/registry/addresses/${a.id}`}>
            <Typography.Text strong>{a.fullText}</Typography.Text>
          </Link>
        </div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('registry.locate.since', { date: cur.fromDate })}
          {point ? ` · ${point.lng.toFixed(6)}, ${point.lat.toFixed(6)}` : ''}
        </Typography.Text>
      </div>
      {boundary.isPending && cur.address.grid ? (
        <Skeleton.Node active style={{ width: '100%', height: 240 }} />
      ) : point || boundary.data?.boundary ? (
        <GridMap boundary={boundary.data?.boundary} point={point} label={shortLabel(a.fullText)} gridName={a.grid?.name} />
      ) : null}
      {!point ? <Alert type="info" showIcon title={t('registry.locate.noPoint')} /> : null}
      <div>
        <Typography.Title level={5}>{t('registry.locate.coResidents')}</Typography.Title>
        <PeopleTable rows={data.coResidents} />
      </div>
      <div>
        <Typography.Title level={5}>{t('registry.locate.past')}</Typography.Title>
        <ResidenceTimeline rows={data.pastResidences} />
      </div>
      <div>
        <Typography.Title level={5}>{t('registry.person.employment')}</Typography.Title>
        <EmploymentList rows={data.employers} />
      </div>
    </Space>
  );
}

/** 全息档案: one person's record, residences, household, employment and recent accesses. */
export default function PersonPage() {
  const { t, tx } = useI18n();
  const { can } = useAuth();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [fullPurpose, setFullPurpose] = useState<string | null>(null);
  const [asking, setAsking] = useState<'full' | 'locate' | null>(null);
  const [dialog, setDialog] = useState<{ kind: 'edit' } | { kind: 'moveIn' } | { kind: 'moveOut'; residence: Residence } | null>(null);
  const canWrite = can('person.write');
  const page = usePersonPage(id, fullPurpose);
  const locate = useMutation({
    mutationFn: (purpose: string) => api.get<LocateAnswer>(`/persons/${id}/locate`, { purpose }),
    onSuccess: () => {
      setAsking(null);
      // On a phone the result card sits below the record: bring it into view.
      window.setTimeout(() => document.querySelector('[data-testid="locate-result"]')?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 80);
    },
  });
  const d = page.data;
  const p = d?.person;
  const none = t('common.none');
  // changes need the record in the caller's own jurisdiction (a 协查 view is read-only)
  const editable = canWrite && !!d && !d.crossJurisdiction;
  const current = d?.residences.find((r) => r.current) ?? null;

  return (
    <PageContainer
      title={p ? p.name : t('registry.person.title')}
      subtitle={p ? t('registry.person.subtitle') : undefined}
      extra={
        <Space wrap>
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)}>
            {t('registry.person.back')}
          </Button>
          {editable ? (
            <Button icon={<EditOutlined />} onClick={() => setDialog({ kind: 'edit' })} data-testid="person-edit">
              {t('registry.personForm.edit')}
            </Button>
          ) : null}
          {can('person.locate') ? (
            <Button type="primary" icon={<AimOutlined />} onClick={() => setAsking('locate')} data-testid="locate">
              {t('registry.locate.button')}
            </Button>
          ) : null}
        </Space>
      }
    >
      {page.isError && !d ? (
        <ProblemAlert error={page.error} />
      ) : !d || !p ? (
        <Card>
          <Skeleton active paragraph={{ rows: 10 }} />
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <Space orientation="vertical" size={16} style={{ width: '100%' }}>
              {page.isError ? <ProblemAlert error={page.error} /> : null}
              {d.crossJurisdiction ? <Alert type="warning" showIcon title={t('registry.person.cross')} /> : null}
              <Card title={t('registry.person.basic')}>
                <Descriptions column={1} size="small" bordered styles={{ label: { width: 130 } }}>
                  <Descriptions.Item label={t('registry.residents.name')}>
                    {p.name}{' '}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {p.namePinyin}
                    </Typography.Text>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('registry.residents.idNumber')}>
                    <Space wrap size={8}>
                      <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                        {p.idNumber ?? p.passportNo ?? none}
                      </Typography.Text>
                      {p.idMasked && can('person.id_full') ? (
                        <Button size="small" icon={<EyeOutlined />} onClick={() => setAsking('full')} data-testid="id-full">
                          {t('registry.person.showFull')}
                        </Button>
                      ) : null}
                    </Space>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('registry.residents.sexAge')}>
                    {[p.sex ? tx(`registry.sex.${p.sex}`, p.sex) : null, p.age != null ? t('registry.residents.age', { age: p.age }) : null]
                      .filter(Boolean)
                      .join(' · ') || none}
                    {p.birthDate ? ` · ${p.birthDate}` : ''}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('registry.person.type')}>{tx(`registry.personType.${p.personType}`, p.personTypeName)}</Descriptions.Item>
                  <Descriptions.Item label={t('registry.person.phone')}>{p.phone ?? none}</Descriptions.Item>
                  <Descriptions.Item label={t('registry.person.ethnicity')}>{p.ethnicity ?? none}</Descriptions.Item>
                  <Descriptions.Item label={t('registry.person.hukou')}>{p.hukouAddress ?? none}</Descriptions.Item>
                  {p.nationality ? <Descriptions.Item label={t('registry.person.nationality')}>{p.nationality}</Descriptions.Item> : null}
                  {p.passportExpiry ? <Descriptions.Item label={t('registry.personForm.passportExpiry')}>{p.passportExpiry}</Descriptions.Item> : null}
                  {p.floatingRegisteredOn ? (
                    <Descriptions.Item label={t('registry.personForm.floatingRegisteredOn')}>{p.floatingRegisteredOn}</Descriptions.Item>
                  ) : null}
                  {p.expectedStayUntil ? <Descriptions.Item label={t('registry.personForm.expectedStayUntil')}>{p.expectedStayUntil}</Descriptions.Item> : null}
                  {p.permitIssuedOn ? (
                    <Descriptions.Item label={t('registry.personForm.permitIssuedOn')}>
                      {p.permitIssuedOn}
                      {p.permitEndorsement ? (
                        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                          {t('registry.person.endorsement', { from: p.permitEndorsement.windowFrom, to: p.permitEndorsement.windowTo })}
                        </Typography.Text>
                      ) : null}
                    </Descriptions.Item>
                  ) : null}
                  <Descriptions.Item label={t('registry.person.unit')}>{p.orgUnit?.name ?? none}</Descriptions.Item>
                  <Descriptions.Item label={t('registry.person.updatedAt')}>{formatTime(p.updatedAt)}</Descriptions.Item>
                </Descriptions>
              </Card>
              <Card
                title={t('registry.person.residences')}
                extra={
                  editable ? (
                    <Button size="small" icon={<ImportOutlined />} onClick={() => setDialog({ kind: 'moveIn' })} data-testid="move-in">
                      {t('registry.move.in')}
                    </Button>
                  ) : null
                }
              >
                <ResidenceTimeline rows={d.residences} onMoveOut={editable ? (r) => setDialog({ kind: 'moveOut', residence: r }) : undefined} />
              </Card>
            </Space>
          </Col>
          <Col xs={24} xl={12}>
            <Space orientation="vertical" size={16} style={{ width: '100%' }}>
              {locate.data ? (
                <Card
                  title={
                    <Space>
                      <AimOutlined />
                      {t('registry.locate.title')}
                    </Space>
                  }
                  data-testid="locate-result"
                >
                  <LocateResult data={locate.data} />
                </Card>
              ) : null}
              <Card title={t('registry.person.household')}>
                <PeopleTable rows={d.household} />
              </Card>
              <Card title={t('registry.person.employment')}>
                <EmploymentList rows={d.employment} />
              </Card>
              {d.recentAccess ? (
                <Card title={t('registry.person.access')}>
                  <Table
                    size="small"
                    rowKey="seq"
                    pagination={false}
                    dataSource={d.recentAccess}
                    scroll={{ x: 520 }}
                    locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
                    columns={[
                      { key: 'at', title: t('registry.person.accessAt'), render: (_, r) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(r.at)}</span> },
                      { key: 'actor', title: t('registry.person.accessActor'), render: (_, r) => r.actorName ?? none },
                      {
                        key: 'action',
                        title: t('registry.person.accessAction'),
                        render: (_, r) => (
                          <Space size={4} wrap>
                            {tx(`registry.access.${r.action}`, r.action)}
                            {r.crossJurisdiction ? <Tag color="orange">{t('registry.person.crossTag')}</Tag> : null}
                          </Space>
                        ),
                      },
                      { key: 'purpose', title: t('registry.person.purpose'), render: (_, r) => r.purpose ?? none },
                    ]}
                  />
                </Card>
              ) : null}
            </Space>
          </Col>
        </Row>
      )}
      {dialog?.kind === 'edit' && p ? (
        <PersonFormDrawer mode={{ type: 'edit', person: p, hasCurrentResidence: !!current }} onClose={() => setDialog(null)} onSaved={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'moveIn' && p ? <MoveInModal personId={p.id} personName={p.name} current={current} onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'moveOut' && p ? <MoveOutModal residence={dialog.residence} personName={p.name} onClose={() => setDialog(null)} /> : null}
      {asking === 'full' ? (
        <PurposeModal
          title={t('registry.person.showFull')}
          hint={t('registry.person.showFullHint')}
          okText={t('registry.person.showFull')}
          loading={page.isFetching && !!fullPurpose}
          onOk={(purpose) => {
            setFullPurpose(purpose);
            setAsking(null);
          }}
          onClose={() => setAsking(null)}
        />
      ) : null}
      {asking === 'locate' ? (
        <PurposeModal
          title={t('registry.locate.button')}
          hint={t('registry.locate.hint')}
          okText={t('registry.locate.button')}
          loading={locate.isPending}
          error={locate.error}
          onOk={(purpose) => locate.mutate(purpose)}
          onClose={() => {
            locate.reset();
            setAsking(null);
          }}
        />
      ) : null}
    </PageContainer>
  );
}

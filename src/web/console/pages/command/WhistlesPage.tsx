import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, App, Button, Card, Empty, Flex, Form, Input, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { ReloadOutlined, SoundOutlined } from '@ant-design/icons';
import { useI18n } from '../../../shared/i18n';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useNotifyError } from '../../../shared/components/useNotifyError';
import { PageContainer } from '../../layout/PageContainer';
import { FormDrawer } from '../../components/FormDrawer';
import { applyProblemFields } from '../../components/formErrors';
import { useDebounced } from '../../components/useDebounced';
import { useMe } from '../../auth/AuthProvider';
import { useIncidentSearch, useRaiseWhistle, useScenarios, useWhistles, type WhistleSummary } from '../../data/command';
import { ResponseChip, WhistleStatusTag, fmt, useDuration, useNow } from './parts';

interface RaiseValues {
  scenarioId: string;
  title: string;
  description: string;
  incidentId?: string;
}

/** 吹哨: a scenario (showing who must report and how soon), what happened, optionally the incident. */
function RaiseDrawer({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const notifyError = useNotifyError();
  const dur = useDuration();
  const [form] = Form.useForm<RaiseValues>();
  const scenarios = useScenarios();
  const raise = useRaiseWhistle();
  const scenarioId = Form.useWatch('scenarioId', form);
  const [term, setTerm] = useState('');
  const debounced = useDebounced(term, 300);
  const incidents = useIncidentSearch(debounced, me.permissions.includes('incident.read'));
  const active = (scenarios.data ?? []).filter((s) => s.status === 'active');
  const chosen = active.find((s) => s.id === scenarioId);
  const incidentOptions = useMemo(
    () => (incidents.data?.items ?? []).map((i) => ({ value: i.id, label: `${i.code}${i.summary ? ` · ${i.summary.slice(0, 30)}` : ''}` })),
    [incidents.data],
  );
  const submit = (v: RaiseValues) =>
    raise.mutate(
      { scenarioId: v.scenarioId, title: v.title.trim(), description: v.description.trim(), incidentId: v.incidentId || undefined },
      {
        onSuccess: (w) => {
          message.success(t('cmd.raise.done', { code: w.code }));
          onClose();
          void navigate(`/command/whistles/${w.id}`);
        },
        onError: (err) => {
          const rest = applyProblemFields(form, err, { scenarioId: 'scenarioId', title: 'title', description: 'description', incidentId: 'incidentId' });
          if (rest.length || !(err as { errors?: unknown[] }).errors?.length) notifyError(err);
        },
      },
    );
  return (
    <FormDrawer title={t('cmd.raise.title')} onClose={onClose} onSubmit={() => form.submit()} saving={raise.isPending} submitText={t('cmd.raise.submit')} width={640} data-testid="raise-drawer">
      <Form<RaiseValues> form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="scenarioId" label={t('cmd.raise.scenario')} rules={[{ required: true, message: t('cmd.raise.scenarioRequired') }]}>
          <Select
            loading={scenarios.isLoading}
            placeholder={t('cmd.raise.scenarioPh')}
            data-testid="raise-scenario"
            options={active.map((s) => ({
              value: s.id,
              label: (
                <Flex justify="space-between" gap={8}>
                  <span>
                    {s.urgent ? <Tag color="red">{t('cmd.urgent')}</Tag> : null}
                    {s.name}
                  </span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {s.departments.map((d) => d.name).join('、') || t('cmd.raise.noDepts')} · {dur(s.responseMinutes)}
                  </Typography.Text>
                </Flex>
              ),
            }))}
          />
        </Form.Item>
        {chosen ? (
          <Alert
            type={chosen.urgent ? 'warning' : 'info'}
            showIcon
            style={{ marginBottom: 16 }}
            title={t('cmd.raise.who', { depts: chosen.departments.map((d) => d.name).join('、') || t('cmd.raise.noDepts'), d: dur(chosen.responseMinutes) })}
            description={[chosen.description, chosen.urgent ? t('cmd.raise.urgentHint') : null].filter(Boolean).join(' ')}
            data-testid="raise-scenario-info"
          />
        ) : null}
        <Form.Item name="title" label={t('cmd.raise.titleField')} rules={[{ required: true, whitespace: true, message: t('cmd.required') }]}>
          <Input maxLength={100} showCount placeholder={t('cmd.raise.titlePh')} data-testid="raise-title" />
        </Form.Item>
        <Form.Item name="description" label={t('cmd.raise.description')} rules={[{ required: true, whitespace: true, message: t('cmd.required') }]}>
          <Input.TextArea rows={5} maxLength={5000} showCount placeholder={t('cmd.raise.descriptionPh')} data-testid="raise-description" />
        </Form.Item>
        {me.permissions.includes('incident.read') ? (
          <Form.Item name="incidentId" label={t('cmd.raise.incident')} extra={t('cmd.raise.incidentHint')}>
            <Select
              allowClear
              showSearch={{ filterOption: false, onSearch: setTerm }}
              options={incidentOptions}
              loading={incidents.isFetching}
              placeholder={t('cmd.raise.incidentPh')}
              notFoundContent={debounced.trim().length >= 2 ? t('common.noMatch') : t('cmd.raise.incidentType')}
            />
          </Form.Item>
        ) : null}
      </Form>
    </FormDrawer>
  );
}

/** 派出所吹哨: the station's whistles with each department's response clock, and 吹哨. */
export default function WhistlesPage() {
  const { t } = useI18n();
  const now = useNow();
  const [status, setStatus] = useState('all');
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [raising, setRaising] = useState(false);
  const q = useWhistles({ status: status === 'all' ? undefined : status, ...page });
  return (
    <PageContainer
      subtitle={t('cmd.whistles.subtitle')}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} loading={q.isFetching && !q.isPending}>
            {t('common.refresh')}
          </Button>
          <Button type="primary" danger icon={<SoundOutlined />} onClick={() => setRaising(true)} data-testid="raise-open">
            {t('cmd.raise.open')}
          </Button>
        </Space>
      }
    >
      <Flex vertical gap={16}>
        <Segmented
          value={status}
          onChange={(v) => {
            setStatus(String(v));
            setPage((p) => ({ ...p, page: 1 }));
          }}
          options={[
            { value: 'all', label: t('common.all') },
            { value: 'open', label: t('cmd.whistle.open') },
            { value: 'reported', label: t('cmd.whistle.reported') },
            { value: 'confirmed', label: t('cmd.whistle.confirmed') },
          ]}
        />
        {q.isError ? <ProblemAlert error={q.error} /> : null}
        <Card>
          <Table<WhistleSummary>
            rowKey="id"
            loading={q.isLoading}
            dataSource={q.data?.items ?? []}
            scroll={{ x: 1000 }}
            locale={{ emptyText: <Empty description={t('cmd.whistles.empty')} /> }}
            pagination={{
              current: page.page,
              pageSize: page.pageSize,
              total: q.data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (total) => t('common.total', { total }),
              onChange: (p, s) => setPage({ page: s !== page.pageSize ? 1 : p, pageSize: s }),
            }}
            columns={[
              {
                key: 'title',
                title: t('cmd.col.whistle'),
                render: (_, w) => (
                  <div>
                    <Space size={4}>
                      {w.scenario.urgent ? <Tag color="red">{t('cmd.urgent')}</Tag> : null}
                      <Link to={`/command/whistles/${w.id}`} data-testid="whistle-link">
                        {w.title}
                      </Link>
                    </Space>
                    <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                      <span className="fq-mono">{w.code}</span> · {w.scenario.name}
                      {w.round > 1 ? ` · ${t('cmd.round', { n: w.round })}` : ''}
                    </Typography.Text>
                  </div>
                ),
              },
              {
                key: 'raised',
                title: t('cmd.col.raised'),
                width: 160,
                render: (_, w) => (
                  <div>
                    {fmt(w.raisedAt)}
                    <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                      {w.raisedBy}
                    </Typography.Text>
                  </div>
                ),
              },
              { key: 'status', title: t('common.status'), width: 100, render: (_, w) => <WhistleStatusTag status={w.status} /> },
              {
                key: 'responses',
                title: t('cmd.col.responses'),
                width: 420,
                render: (_, w) => (
                  <Flex wrap gap={2}>
                    {w.responses.map((r) => (
                      <ResponseChip key={r.id} r={r} now={now} />
                    ))}
                  </Flex>
                ),
              },
            ]}
          />
        </Card>
      </Flex>
      {raising ? <RaiseDrawer onClose={() => setRaising(false)} /> : null}
    </PageContainer>
  );
}

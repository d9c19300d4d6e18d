import { useState } from 'react';
import { App, Button, Card, DatePicker, Descriptions, Drawer, Empty, Flex, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined, WarningOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../../../shared/i18n';
import type { MessageKey } from '../../../shared/i18n/core';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PageContainer } from '../../layout/PageContainer';
import { useAuth } from '../../auth/AuthProvider';
import { OrgUnitSelect } from '../../components/OrgUnitSelect';
import { FormDrawer } from '../../components/FormDrawer';
import { applyProblemFields } from '../../components/formErrors';
import { newClientId } from '../../components/clientId';
import { PATROL_MODES, useCheckin, useEndPatrol, usePatrol, usePatrols, useStartPatrol, type Checkin, type PatrolMode, type PatrolSummary } from '../../data/analysis';
import { bjTime, ModeTag } from './common';

function CheckinForm({ patrolId }: { patrolId: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ at: Dayjs; lat: number; lng: number; note?: string }>();
  const checkin = useCheckin(patrolId);
  const submit = (v: { at: Dayjs; lat: number; lng: number; note?: string }) =>
    checkin.mutate(
      { clientId: newClientId(), at: v.at.toISOString(), lat: v.lat, lng: v.lng, note: v.note || undefined },
      {
        onSuccess: (c) => {
          void message.success(c.outsideArea ? t('patrol.checkedInOutside') : t('patrol.checkedIn'));
          form.resetFields(['note']);
        },
        onError: (e) => applyProblemFields(form, e, { at: 'at', lat: 'lat', lng: 'lng', note: 'note' }),
      },
    );
  return (
    <Form form={form} layout="inline" onFinish={submit} initialValues={{ at: dayjs() }} style={{ rowGap: 8 }}>
      <Form.Item name="at" rules={[{ required: true, message: t('patrol.required') }]}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
      </Form.Item>
      <Form.Item name="lat" rules={[{ required: true, message: t('patrol.required') }]}>
        <InputNumber placeholder={t('patrol.lat')} min={-90} max={90} step={0.0001} style={{ width: 120 }} />
      </Form.Item>
      <Form.Item name="lng" rules={[{ required: true, message: t('patrol.required') }]}>
        <InputNumber placeholder={t('patrol.lng')} min={-180} max={180} step={0.0001} style={{ width: 120 }} />
      </Form.Item>
      <Form.Item name="note">
        <Input placeholder={t('patrol.note')} maxLength={200} style={{ width: 160 }} />
      </Form.Item>
      <Button htmlType="submit" type="primary" loading={checkin.isPending}>
        {t('patrol.checkin')}
      </Button>
      {checkin.error ? <ProblemAlert error={checkin.error} style={{ width: '100%', marginTop: 8 }} /> : null}
    </Form>
  );
}

function PatrolDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useI18n();
  const { me, can } = useAuth();
  const q = usePatrol(id);
  const end = useEndPatrol(id);
  const p = q.data;
  const mine = !!p && p.createdBy.id === me?.id && can('patrol.record');
  return (
    <Drawer open title={t('patrol.detail')} size={760} onClose={onClose} destroyOnHidden>
      {q.error ? <ProblemAlert error={q.error} /> : null}
      {p ? (
        <Flex vertical gap={16}>
          <Descriptions
            size="small"
            column={2}
            bordered
            items={[
              { key: 'mode', label: t('patrol.col.mode'), children: <ModeTag mode={p.mode} /> },
              { key: 'state', label: t('patrol.col.state'), children: p.open ? <Tag color="processing">{t('patrol.open')}</Tag> : <Tag>{t('patrol.ended')}</Tag> },
              { key: 'unit', label: t('patrol.unit'), children: p.unit.name },
              { key: 'who', label: t('patrol.col.who'), children: p.createdBy.name },
              { key: 'start', label: t('patrol.col.started'), children: bjTime(p.startedAt) },
              { key: 'end', label: t('patrol.col.ended'), children: bjTime(p.endedAt) },
              { key: 'item', label: t('patrol.col.item'), children: p.planItem?.label ?? t('common.none') },
              { key: 'team', label: t('patrol.col.team'), children: p.team?.name ?? t('common.none') },
              { key: 'note', label: t('patrol.note'), span: 2, children: p.note ?? t('common.none') },
            ]}
          />
          {mine && p.open ? (
            <Card size="small" title={t('patrol.checkinByHand')}>
              <CheckinForm patrolId={p.id} />
            </Card>
          ) : null}
          <Table<Checkin>
            scroll={{ x: 'max-content' }}
            size="small"
            rowKey="id"
            dataSource={p.checkins}
            pagination={false}
            title={() => (
              <Space>
                <Typography.Text strong>{t('patrol.checkins', { n: p.checkins.length })}</Typography.Text>
                {p.outsideCount ? <Tag color="warning">{t('patrol.outsideCount', { n: p.outsideCount })}</Tag> : null}
              </Space>
            )}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('patrol.noCheckins')} /> }}
            columns={[
              { key: 'at', title: t('patrol.col.time'), width: 150, render: (_, c) => bjTime(c.at) },
              { key: 'pos', title: t('patrol.col.position'), render: (_, c) => `${c.lat.toFixed(5)}, ${c.lng.toFixed(5)}` },
              {
                key: 'flag',
                title: t('patrol.col.flag'),
                width: 120,
                render: (_, c) =>
                  c.outsideArea ? (
                    <Tag icon={<WarningOutlined />} color="warning">
                      {t('patrol.outside')}
                    </Tag>
                  ) : null,
              },
              { key: 'note', title: t('patrol.note'), render: (_, c) => c.note ?? '' },
            ]}
          />
          {end.error ? <ProblemAlert error={end.error} /> : null}
          {mine && p.open ? (
            <Button danger loading={end.isPending} onClick={() => end.mutate({})} data-testid="end-patrol">
              {t('patrol.end')}
            </Button>
          ) : null}
        </Flex>
      ) : null}
    </Drawer>
  );
}

function StartDrawer({ onClose, onStarted }: { onClose: () => void; onStarted: (id: string) => void }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const [form] = Form.useForm<{ mode: PatrolMode; unitId?: string; startedAt?: Dayjs; note?: string }>();
  const start = useStartPatrol();
  const submit = (v: { mode: PatrolMode; unitId?: string; startedAt?: Dayjs; note?: string }) =>
    start.mutate(
      { mode: v.mode, unitId: v.unitId, startedAt: v.startedAt?.toISOString(), note: v.note || undefined },
      { onSuccess: (p) => onStarted(p.id), onError: (e) => applyProblemFields(form, e, { mode: 'mode', unitId: 'unitId', startedAt: 'startedAt', note: 'note' }) },
    );
  return (
    <FormDrawer title={t('patrol.register')} onSubmit={form.submit} onClose={onClose} saving={start.isPending} width={520} submitText={t('patrol.start')}>
      {start.error ? <ProblemAlert error={start.error} style={{ marginBottom: 16 }} /> : null}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ mode: 'patrol', unitId: me?.orgUnit?.id, startedAt: dayjs() }}>
        <Form.Item name="mode" label={t('patrol.col.mode')} rules={[{ required: true, message: t('patrol.required') }]}>
          <Select options={PATROL_MODES.map((m) => ({ value: m, label: t(`patrol.mode.${m}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item name="unitId" label={t('patrol.unit')} rules={[{ required: true, message: t('patrol.required') }]}>
          <OrgUnitSelect allowClear={false} />
        </Form.Item>
        <Form.Item name="startedAt" label={t('patrol.col.started')} extra={t('patrol.backdateHint')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="note" label={t('patrol.note')}>
          <Input.TextArea maxLength={500} rows={3} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

/** 巡逻记录: patrols of the jurisdiction with their check-ins; console users with patrol.record register their own. */
export default function PatrolsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [unitId, setUnitId] = useState<string>();
  const [mode, setMode] = useState<PatrolMode>();
  const [range, setRange] = useState<[string, string] | undefined>();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string>();
  const [starting, setStarting] = useState(false);
  const list = usePatrols({ unitId, mode, from: range?.[0], to: range?.[1], page, pageSize: 20 });

  return (
    <PageContainer
      subtitle={t('patrol.patrolsSubtitle')}
      extra={
        can('patrol.record') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setStarting(true)} data-testid="register-patrol">
            {t('patrol.register')}
          </Button>
        ) : null
      }
    >
      <Flex vertical gap={16}>
        <Card size="small">
          <Flex gap={12} wrap align="center">
            {can('org.read') ? (
              <div style={{ width: 240 }}>
                <OrgUnitSelect value={unitId} onChange={(v) => (setUnitId(v), setPage(1))} placeholder={t('analysis.allUnits')} />
              </div>
            ) : null}
            <Select<PatrolMode>
              allowClear
              placeholder={t('patrol.allModes')}
              style={{ width: 160 }}
              value={mode}
              onChange={(v) => (setMode(v), setPage(1))}
              options={PATROL_MODES.map((m) => ({ value: m, label: t(`patrol.mode.${m}` as MessageKey) }))}
            />
            <DatePicker.RangePicker
              value={range ? [dayjs(range[0]), dayjs(range[1])] : null}
              onChange={(v) => {
                setRange(v?.[0] && v[1] ? [v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')] : undefined);
                setPage(1);
              }}
            />
          </Flex>
        </Card>
        {list.error ? <ProblemAlert error={list.error} /> : null}
        <Card size="small">
          <Table<PatrolSummary>
            scroll={{ x: 'max-content' }}
            size="middle"
            rowKey="id"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
            pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (n) => t('common.total', { total: n }) }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('patrol.noPatrols')} /> }}
            data-testid="patrol-table"
            columns={[
              { key: 'start', title: t('patrol.col.started'), width: 150, render: (_, r) => bjTime(r.startedAt) },
              { key: 'mode', title: t('patrol.col.mode'), width: 110, render: (_, r) => <ModeTag mode={r.mode} /> },
              { key: 'unit', title: t('patrol.unit'), width: 160, render: (_, r) => r.unit.name },
              { key: 'who', title: t('patrol.col.who'), width: 100, render: (_, r) => r.createdBy.name },
              { key: 'item', title: t('patrol.col.item'), render: (_, r) => r.planItem?.label ?? <Typography.Text type="secondary">{t('patrol.unplanned')}</Typography.Text> },
              { key: 'team', title: t('patrol.col.team'), width: 160, render: (_, r) => r.team?.name ?? '' },
              { key: 'n', title: t('patrol.col.checkins'), width: 80, align: 'right', render: (_, r) => r.checkinCount },
              {
                key: 'state',
                title: t('patrol.col.state'),
                width: 150,
                render: (_, r) => (r.open ? <Tag color="processing">{t('patrol.open')}</Tag> : <Typography.Text type="secondary">{bjTime(r.endedAt)}</Typography.Text>),
              },
            ]}
          />
        </Card>
      </Flex>
      {open ? <PatrolDrawer id={open} onClose={() => setOpen(undefined)} /> : null}
      {starting ? (
        <StartDrawer
          onClose={() => setStarting(false)}
          onStarted={(id) => {
            setStarting(false);
            setOpen(id);
          }}
        />
      ) : null}
    </PageContainer>
  );
}

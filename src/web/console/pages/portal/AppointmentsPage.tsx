import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { App, Button, Card, DatePicker, Empty, Flex, Popconfirm, Select, Skeleton, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { CheckOutlined, LeftOutlined, ReloadOutlined, RightOutlined, StopOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useI18n } from '../../../shared/i18n';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useNotifyError } from '../../../shared/components/useNotifyError';
import { PageContainer } from '../../layout/PageContainer';
import { useAppointmentAction, useAppointmentDay, useOffices } from '../../data/portal';
import type { AppointmentSlot, StaffAppointment } from '../../data/portal';
import { AppointmentStatusTag, PhoneLink } from './labels';

const DAY = 'YYYY-MM-DD';

function SlotCard({ slot, now }: { slot: AppointmentSlot; now: number }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const act = useAppointmentAction();
  const begun = now >= Date.parse(slot.start);
  const active = slot.items.filter((a) => a.status !== 'cancelled').length;
  const run = (a: StaffAppointment, action: 'done' | 'no-show') =>
    act.mutate(
      { id: a.id, action },
      {
        onSuccess: () => message.success(action === 'done' ? t('portalAppt.done.ok') : t('portalAppt.noShow.ok')),
        onError: notifyError,
      },
    );
  return (
    <Card
      size="small"
      data-testid="appointment-slot"
      title={
        <Space size={8}>
          <Typography.Text strong className="fq-mono">
            {dayjs(slot.start).format('HH:mm')}–{dayjs(slot.end).format('HH:mm')}
          </Typography.Text>
          <Tag variant="filled">{t('portalAppt.slotCount', { n: active })}</Tag>
          {begun ? null : <Tag color="blue">{t('portalAppt.upcoming')}</Tag>}
        </Space>
      }
    >
      <Table<StaffAppointment>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={slot.items}
        scroll={{ x: 860 }}
        columns={[
          {
            key: 'name',
            title: t('portalAppt.name'),
            width: 110,
            render: (_, a) => (
              <div>
                <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
                  {a.name}
                </Typography.Text>
                <Typography.Text type="secondary" className="fq-mono" style={{ display: 'block', fontSize: 12, whiteSpace: 'nowrap' }}>
                  {a.trackingNo}
                </Typography.Text>
              </div>
            ),
          },
          { key: 'phone', title: t('portalAppt.phone'), width: 130, render: (_, a) => <PhoneLink phone={a.phone} /> },
          { key: 'service', title: t('portalAppt.service'), width: 180, render: (_, a) => a.serviceName },
          {
            key: 'note',
            title: t('portalAppt.note'),
            render: (_, a) => (a.note ? <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{a.note}</span> : t('common.none')),
          },
          { key: 'status', title: t('common.status'), width: 90, render: (_, a) => <AppointmentStatusTag status={a.status} name={a.statusName} /> },
          {
            key: 'actions',
            title: t('common.actions'),
            width: 190,
            render: (_, a) =>
              a.status === 'booked' ? (
                <Space size={4}>
                  <Popconfirm title={t('portalAppt.done.confirm', { name: a.name })} onConfirm={() => run(a, 'done')} okText={t('portalAppt.done')} cancelText={t('common.cancel')}>
                    <Button size="small" type="primary" ghost icon={<CheckOutlined />} loading={act.isPending && act.variables?.id === a.id && act.variables.action === 'done'} data-testid="appt-done">
                      {t('portalAppt.done')}
                    </Button>
                  </Popconfirm>
                  {begun ? (
                    <Popconfirm title={t('portalAppt.noShow.confirm', { name: a.name })} onConfirm={() => run(a, 'no-show')} okText={t('portalAppt.noShow')} cancelText={t('common.cancel')}>
                      <Button size="small" danger icon={<StopOutlined />} data-testid="appt-no-show">
                        {t('portalAppt.noShow')}
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Tooltip title={t('portalAppt.noShow.notYet')}>
                      <Button size="small" danger icon={<StopOutlined />} disabled>
                        {t('portalAppt.noShow')}
                      </Button>
                    </Tooltip>
                  )}
                </Space>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}

/** 预约管理: an office's bookings of one day, by slot. */
export default function AppointmentsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const offices = useOffices();
  const officeParam = params.get('office') ?? undefined;
  const dateParam = params.get('date');
  const date = dateParam && dayjs(dateParam, DAY, true).isValid() ? dateParam : dayjs().format(DAY);
  const activeOffices = useMemo(() => (offices.data ?? []).filter((o) => o.status !== 'inactive'), [offices.data]);
  const officeId = officeParam ?? activeOffices[0]?.id;
  const day = useAppointmentDay(officeId, date);
  const [now, setNow] = useState(() => Date.now());
  // the no-show button unlocks when a slot begins
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);

  const go = (next: { office?: string; date?: string }) => {
    const p = new URLSearchParams(params);
    if (next.office) p.set('office', next.office);
    if (next.date) {
      if (next.date === dayjs().format(DAY)) p.delete('date');
      else p.set('date', next.date);
    }
    setParams(p, { replace: true });
  };
  const shift = (days: number) => go({ date: dayjs(date).add(days, 'day').format(DAY) });

  const slots = day.data ?? [];
  const all = slots.flatMap((s) => s.items);
  const count = (status: string) => all.filter((a) => a.status === status).length;
  const isToday = date === dayjs().format(DAY);

  return (
    <PageContainer
      subtitle={t('portalAppt.subtitle')}
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void day.refetch()} loading={day.isFetching && !day.isPending} disabled={!officeId}>
          {t('common.refresh')}
        </Button>
      }
    >
      <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
        <Card>
          <Flex gap={12} wrap align="center">
            <Select
              value={officeId}
              onChange={(v: string) => go({ office: v })}
              loading={offices.isLoading}
              placeholder={t('portalAppt.office')}
              options={(offices.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
              showSearch={{ optionFilterProp: 'label' }}
              style={{ width: 280, maxWidth: '100%' }}
              notFoundContent={t('portalAppt.noOffices')}
              data-testid="appt-office"
            />
            <Space.Compact>
              <Button icon={<LeftOutlined />} onClick={() => shift(-1)} aria-label={t('portalAppt.prevDay')} data-testid="appt-prev" />
              <DatePicker
                value={dayjs(date)}
                allowClear={false}
                onChange={(v) => v && go({ date: v.format(DAY) })}
                format={`${DAY} dddd`}
                style={{ width: 190 }}
                data-testid="appt-date"
              />
              <Button icon={<RightOutlined />} onClick={() => shift(1)} aria-label={t('portalAppt.nextDay')} data-testid="appt-next" />
            </Space.Compact>
            {!isToday ? <Button onClick={() => go({ date: dayjs().format(DAY) })}>{t('portalAppt.today')}</Button> : null}
          </Flex>
        </Card>
        {offices.isError ? <ProblemAlert error={offices.error} /> : null}
        {day.isError ? <ProblemAlert error={day.error} /> : null}
        {officeId ? (
          <Flex gap={16} wrap>
            <Card size="small" style={{ minWidth: 140 }}>
              <Statistic title={t('portalAppt.total')} value={all.filter((a) => a.status !== 'cancelled').length} />
            </Card>
            <Card size="small" style={{ minWidth: 140 }}>
              <Statistic title={t('portalAppt.waiting')} value={count('booked')} />
            </Card>
            <Card size="small" style={{ minWidth: 140 }}>
              <Statistic title={t('portalAppt.status.done')} value={count('done')} styles={{ content: { color: '#389e0d' } }} />
            </Card>
            <Card size="small" style={{ minWidth: 140 }}>
              <Statistic title={t('portalAppt.status.no_show')} value={count('no_show')} styles={{ content: { color: count('no_show') ? '#cf1322' : undefined } }} />
            </Card>
          </Flex>
        ) : null}
        {!officeId && !offices.isLoading ? (
          <Card>
            <Empty description={t('portalAppt.noOffices')} />
          </Card>
        ) : day.isPending && officeId ? (
          <Card>
            <Skeleton active />
          </Card>
        ) : slots.length === 0 && officeId ? (
          <Card>
            <Empty description={t('portalAppt.empty', { date })} data-testid="appt-empty" />
          </Card>
        ) : (
          slots.map((s) => <SlotCard key={`${s.start}|${s.end}`} slot={s} now={now} />)
        )}
      </div>
    </PageContainer>
  );
}

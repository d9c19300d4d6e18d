// Pieces shared by the directive and whistle pages: colour tags, state tags, clocks, the timeline, a text modal.
import { useEffect, useState } from 'react';
import { App, DatePicker, Form, Input, Modal, Tag, Timeline, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../../../shared/i18n';
import type { MessageKey } from '../../../shared/i18n/core';
import { isApiError } from '../../../shared/api';
import { useNotifyError } from '../../../shared/components/useNotifyError';
import { LEVEL_COLORS, type CommandEvent, type Level, type Period, type ResponseStatus, type TargetStatus, type WhistleResponse, type WhistleStatus } from '../../data/command';

export const fmt = (iso: string | null | undefined) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');

/** The current time, refreshed every `ms` (the clocks of pending responses and signs). */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}

/** "45分钟", "3小时5分钟", "2天4小时". */
export function useDuration() {
  const { t } = useI18n();
  return (minutes: number) => {
    const m = Math.max(0, Math.round(minutes));
    if (m < 60) return t('cmd.dur.m', { m });
    if (m < 1440) return m % 60 ? t('cmd.dur.hm', { h: Math.floor(m / 60), m: m % 60 }) : t('cmd.dur.h', { h: m / 60 });
    const h = Math.floor((m % 1440) / 60);
    return h ? t('cmd.dur.dh', { d: Math.floor(m / 1440), h }) : t('cmd.dur.d', { d: Math.floor(m / 1440) });
  };
}

export function LevelTag({ level, compact }: { level: Level; compact?: boolean }) {
  const { t } = useI18n();
  return (
    <Tag color={LEVEL_COLORS[level]} variant="solid" style={{ marginInlineEnd: 0, fontWeight: 600 }} data-testid={`level-${level}`}>
      {t(compact ? (`cmd.level.${level}.short` as MessageKey) : (`cmd.level.${level}` as MessageKey))}
    </Tag>
  );
}

const TARGET_COLORS: Record<TargetStatus, string> = { issued: 'default', signed: 'processing', reported: 'success' };
export function TargetStatusTag({ status }: { status: TargetStatus }) {
  const { t } = useI18n();
  return <Tag color={TARGET_COLORS[status]}>{t(`cmd.target.${status}` as MessageKey)}</Tag>;
}

export function DirectiveStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  const color = status === 'active' ? 'processing' : status === 'closed' ? 'success' : 'default';
  return <Tag color={color}>{t(`cmd.directive.${status}` as MessageKey)}</Tag>;
}

const WHISTLE_COLORS: Record<WhistleStatus, string> = { open: 'processing', reported: 'warning', confirmed: 'success' };
export function WhistleStatusTag({ status }: { status: WhistleStatus }) {
  const { t } = useI18n();
  return <Tag color={WHISTLE_COLORS[status]}>{t(`cmd.whistle.${status}` as MessageKey)}</Tag>;
}

const RESPONSE_COLORS: Record<ResponseStatus, string> = { pending: 'default', acknowledged: 'processing', acting: 'blue', reported: 'success' };

/** A department's response with its clock: "已响应 12分钟", "剩余 8分钟", "超时 5分钟". */
export function ResponseChip({ r, now, withName = true }: { r: WhistleResponse; now: number; withName?: boolean }) {
  const { t } = useI18n();
  const dur = useDuration();
  const due = Date.parse(r.dueAt);
  let clock: string;
  let color = RESPONSE_COLORS[r.status];
  if (r.status === 'pending') {
    if (now > due) {
      clock = t('cmd.clock.overdue', { d: dur((now - due) / 60_000) });
      color = 'error';
    } else clock = t('cmd.clock.left', { d: dur((due - now) / 60_000) });
  } else if (r.status === 'reported') clock = r.handlingMinutes !== null ? t('cmd.clock.reported', { d: dur(r.handlingMinutes) }) : t('cmd.response.reported');
  else clock = r.responseMinutes !== null ? t('cmd.clock.acked', { d: dur(r.responseMinutes) }) : t(`cmd.response.${r.status}` as MessageKey);
  if (r.status !== 'pending' && r.overdue && r.status !== 'reported') color = 'warning';
  return (
    <Tag color={color} style={{ marginBlock: 2 }} data-testid="response-chip">
      {withName ? <b>{r.departmentName} </b> : null}
      {r.status === 'pending' ? t('cmd.response.pending') : null} {clock}
    </Tag>
  );
}

export function ResponseStatusTag({ status }: { status: ResponseStatus }) {
  const { t } = useI18n();
  return <Tag color={RESPONSE_COLORS[status]}>{t(`cmd.response.${status}` as MessageKey)}</Tag>;
}

/** The timeline of a directive or a whistle. */
export function EventsTimeline({ events }: { events: CommandEvent[] }) {
  const { t } = useI18n();
  const colors: Record<string, string> = { escalated: 'red', overdue: 'red', withdrawn: 'gray', reported: 'green', all_reported: 'green', confirmed: 'green', reopened: 'orange' };
  return (
    <Timeline
      items={events.map((e) => ({
        key: e.id,
        color: colors[e.action] ?? 'blue',
        content: (
          <div>
            <Typography.Text type="secondary" className="fq-mono" style={{ fontSize: 12 }}>
              {fmt(e.at)}
            </Typography.Text>{' '}
            <Typography.Text strong>{t(`cmd.event.${e.action}` as MessageKey)}</Typography.Text>
            {e.targetName || e.departmentName ? <span> · {e.targetName ?? e.departmentName}</span> : null}
            {e.actor ? <Typography.Text type="secondary"> · {e.actor}</Typography.Text> : null}
            {e.note ? <div style={{ whiteSpace: 'pre-wrap', color: 'rgba(0,0,0,0.65)' }}>{e.note}</div> : null}
          </div>
        ),
      }))}
    />
  );
}

/** A modal asking for one text (feedback, report, reason); the server's field error shows under it. */
export function TextModal(props: { open: boolean; title: string; label: string; placeholder?: string; okText: string; saving?: boolean; error?: string; onOk: (text: string) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ text: string }>();
  useEffect(() => {
    if (props.open) form.resetFields();
  }, [props.open, form]);
  useEffect(() => {
    if (props.error) form.setFields([{ name: 'text', errors: [props.error] }]);
  }, [props.error, form]);
  return (
    <Modal open={props.open} title={props.title} okText={props.okText} cancelText={t('common.cancel')} confirmLoading={props.saving} onOk={() => form.submit()} onCancel={props.onCancel} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => props.onOk(v.text.trim())}>
        <Form.Item name="text" label={props.label} rules={[{ required: true, whitespace: true, message: t('cmd.required') }]}>
          <Input.TextArea rows={4} maxLength={3000} showCount placeholder={props.placeholder} data-testid="text-modal-input" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A period of days with presets; the server defaults to the last 30 days. */
export function PeriodPicker({ value, onChange }: { value: Period; onChange: (p: Period) => void }) {
  const { t } = useI18n();
  const today = dayjs();
  const v: [Dayjs, Dayjs] = [value.from ? dayjs(value.from) : today.subtract(29, 'day'), value.to ? dayjs(value.to) : today];
  return (
    <DatePicker.RangePicker
      value={v}
      allowClear={false}
      onChange={(r) => r?.[0] && r[1] && onChange({ from: r[0].format('YYYY-MM-DD'), to: r[1].format('YYYY-MM-DD') })}
      presets={[
        { label: t('cmd.period.7'), value: [today.subtract(6, 'day'), today] },
        { label: t('cmd.period.30'), value: [today.subtract(29, 'day'), today] },
        { label: t('cmd.period.month'), value: [today.startOf('month'), today] },
        { label: t('cmd.period.90'), value: [today.subtract(89, 'day'), today] },
      ]}
      data-testid="period"
    />
  );
}

export const pctText = (x: number | null) => (x === null ? '—' : `${x}%`);

/**
 * What a TextModal's mutation does when the server answers: on success it closes the modal with a message; on an
 * error about `field` it shows the server's message under the text, and any other error as a notice.
 */
export function useTextModalOutcome(field: string, close: () => void, setError: (message: string) => void) {
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  return (done: string) => ({
    onSuccess: () => {
      close();
      message.success(done);
    },
    onError: (err: unknown) => {
      const f = isApiError(err) ? err.errors.find((e) => e.field === field) : undefined;
      if (f) setError(f.message);
      else notifyError(err);
    },
  });
}

import { useState, type ReactNode } from 'react';
import { App, DatePicker, Form, Modal } from 'antd';
import { useMutation } from '@tanstack/react-query';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../shared/i18n';
import { ProblemAlert } from '../../shared/components/ProblemAlert';
import { applyProblemFields, dateString } from './formErrors';

export const notAfterToday = (d: Dayjs) => d.isAfter(dayjs(), 'day');

/**
 * Ends a period that started on `fromDate` (a residence: 迁出; an employment: 离职) on a chosen day between it
 * and today; the record is closed, never deleted. Field errors of the answer land on the date.
 */
export function EndPeriodModal(p: {
  title: string;
  okText: string;
  fromDate: string;
  dateLabel: string;
  dateExtra?: string;
  intro: ReactNode;
  /** Sends the end day (YYYY-MM-DD). */
  submit: (toDate: string) => Promise<unknown>;
  doneMessage: string;
  onDone: () => void;
  onClose: () => void;
  testId: string;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ toDate: Dayjs }>();
  const [error, setError] = useState<unknown>(null);
  const from = dayjs(p.fromDate);

  const save = useMutation({
    mutationFn: (v: { toDate: Dayjs }) => p.submit(dateString(v.toDate)!),
    onSuccess: () => {
      message.success(p.doneMessage);
      p.onDone();
      p.onClose();
    },
    onError: (err) => {
      setError(err);
      applyProblemFields(form, err, { toDate: 'toDate' });
    },
  });

  return (
    <Modal
      open
      title={p.title}
      okText={p.okText}
      okButtonProps={{ danger: true }}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={p.onClose}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid={p.testId}
    >
      {p.intro}
      {error ? <ProblemAlert error={error} style={{ marginBottom: 16 }} fieldLabels={{ toDate: p.dateLabel }} /> : null}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ toDate: dayjs().isBefore(from, 'day') ? from : dayjs() }}
        onFinish={(v) => {
          setError(null);
          save.mutate(v);
        }}
      >
        <Form.Item name="toDate" label={p.dateLabel} extra={p.dateExtra} rules={[{ required: true, message: t('validation.required') }]}>
          <DatePicker style={{ width: '100%' }} allowClear={false} disabledDate={(d) => notAfterToday(d) || d.isBefore(from, 'day')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

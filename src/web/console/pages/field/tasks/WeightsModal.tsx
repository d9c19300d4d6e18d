import { useState } from 'react';
import { Alert, App, Col, Form, InputNumber, Modal, Row, Typography } from 'antd';
import { isApiError } from '../../../../shared/api';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { applyProblemFields } from '../../../components/formErrors';
import { WEIGHT_PARTS, useSaveWeights } from '../../../data/field-tasks';
import type { Weights } from '../../../data/field-tasks';

const FIELDS = ['onTime', 'collected', 'verified', 'timely', 'collectedCap', 'verifiedCap', 'returnPenalty', 'returnPenaltyCap'] as const;

/** Edits the assessment weights (field.configure): four parts adding up to 100, the per-person caps, the penalty. */
export function WeightsModal({ weights, onClose }: { weights: Weights; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Weights>();
  const [error, setError] = useState<unknown>(null);
  const save = useSaveWeights();
  const values = Form.useWatch([], form) as Partial<Weights> | undefined;
  const sum = WEIGHT_PARTS.reduce((s, k) => s + (Number(values?.[k]) || 0), 0);
  const label = (k: (typeof FIELDS)[number]) => t(`fieldAssess.w.${k}` as 'fieldAssess.w.onTime');

  const submit = (v: Weights) => {
    setError(null);
    save.mutate(v, {
      onSuccess: () => {
        message.success(t('fieldAssess.weights.saved'));
        onClose();
      },
      onError: (err) => {
        setError(err);
        applyProblemFields(form, err, Object.fromEntries(FIELDS.map((k) => [k, k])));
      },
    });
  };

  const num = (k: (typeof FIELDS)[number], max: number, suffix?: string) => (
    <Form.Item name={k} label={label(k)} extra={t(`fieldAssess.w.${k}.help` as 'fieldAssess.w.onTime.help')} rules={[{ required: true, message: t('validation.required') }]}>
      <InputNumber min={0} max={max} precision={0} style={{ width: '100%' }} suffix={suffix} data-testid={`weight-${k}`} />
    </Form.Item>
  );

  return (
    <Modal open title={t('fieldAssess.weights.title')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={save.isPending} width={640} destroyOnHidden>
      {error ? (
        <ProblemAlert
          error={error}
          style={{ marginBottom: 16 }}
          fieldLabels={Object.fromEntries(FIELDS.map((k) => [k, label(k)]))}
          // the sum of the parts is one problem reported on all four fields: say it once
          preferDetail={isApiError(error) && new Set(error.errors.map((e) => e.message)).size === 1 && error.errors.length > 1}
        />
      ) : null}
      <Form<Weights> form={form} layout="vertical" initialValues={weights} onFinish={submit}>
        <Typography.Title level={5}>{t('fieldAssess.weights.parts')}</Typography.Title>
        <Row gutter={16}>
          {WEIGHT_PARTS.map((k) => (
            <Col span={12} key={k}>
              {num(k, 100, t('fieldAssess.points'))}
            </Col>
          ))}
        </Row>
        <Alert
          type={sum === 100 ? 'success' : 'warning'}
          showIcon
          style={{ marginBottom: 16 }}
          title={t('fieldAssess.weights.sum', { sum })}
          data-testid="weights-sum"
        />
        <Typography.Title level={5}>{t('fieldAssess.weights.caps')}</Typography.Title>
        <Row gutter={16}>
          <Col span={12}>{num('collectedCap', 100_000)}</Col>
          <Col span={12}>{num('verifiedCap', 100_000)}</Col>
          <Col span={12}>{num('returnPenalty', 100, t('fieldAssess.points'))}</Col>
          <Col span={12}>{num('returnPenaltyCap', 100, t('fieldAssess.points'))}</Col>
        </Row>
      </Form>
    </Modal>
  );
}

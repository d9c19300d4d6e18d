import { useState } from 'react';
import { Alert, App, Form, Input, Modal, Radio } from 'antd';
import dayjs from 'dayjs';
import { api } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ProblemAlert } from '../../shared/components/ProblemAlert';

type Query = Record<string, string | number | undefined>;

export interface PurposeExportProps {
  /** API path of the export, e.g. `/audit/export`. */
  path: string;
  query: Query;
  /** File name stem; the extension follows the chosen format. */
  fileStem: string;
  title: string;
  hint: string;
  /** Formats the endpoint offers; with more than one the user chooses. */
  formats?: Array<'xlsx' | 'csv'>;
  minPurpose?: number;
  onClose: () => void;
}

/** Asks for the purpose the policy requires (and a format), then downloads the export for the current filters. */
export function PurposeExportModal({ path, query, fileStem, title, hint, formats = ['csv'], minPurpose = 2, onClose }: PurposeExportProps) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ purpose: string; format: 'xlsx' | 'csv' }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async ({ purpose, format }: { purpose: string; format?: 'xlsx' | 'csv' }) => {
    setBusy(true);
    setError(null);
    const fmt = format ?? formats[0];
    try {
      const name = await api.download(
        path,
        { ...query, purpose: purpose.trim(), ...(formats.length > 1 ? { format: fmt } : {}) },
        `${fileStem}-${dayjs().format('YYYYMMDD-HHmmss')}.${fmt}`,
      );
      message.success(t('audit.export.done', { name }));
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      // 「导出 CSV」 only when CSV is the one format; with a choice, just 「导出」
      okText={formats.length > 1 ? t('audit.export') : t('audit.export.submit')}
      confirmLoading={busy}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Alert type="warning" showIcon title={hint} style={{ marginBottom: 16 }} />
      {error ? <ProblemAlert error={error} fieldLabels={{ purpose: t('audit.field.purpose') }} style={{ marginBottom: 16 }} /> : null}
      <Form form={form} layout="vertical" onFinish={run} initialValues={{ format: formats[0] }}>
        {formats.length > 1 ? (
          <Form.Item name="format" label={t('export.format')}>
            <Radio.Group options={formats.map((f) => ({ value: f, label: f.toUpperCase() }))} optionType="button" />
          </Form.Item>
        ) : null}
        <Form.Item
          name="purpose"
          label={t('audit.export.purpose')}
          rules={[
            { required: true, whitespace: true, message: t('audit.export.purpose.required') },
            { min: minPurpose, message: t('validation.minLength', { min: minPurpose }) },
            { max: 200, message: t('validation.maxLength', { max: 200 }) },
          ]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount placeholder={t('audit.export.purpose.placeholder')} data-testid="export-purpose" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

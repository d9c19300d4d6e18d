import { useState } from 'react';
import dayjs from 'dayjs';
import { Alert, Button, DatePicker, Empty, Form, Input, InputNumber, Select, Switch, Typography } from 'antd';
import { useI18n } from '../../../../shared/i18n';
import { validateFormData, type FormError, type FormField, type FormSchema } from '../../../../../shared/forms';

function FieldInput({ f }: { f: FormField }) {
  const { t } = useI18n();
  switch (f.type) {
    case 'textarea':
      return <Input.TextArea rows={3} maxLength={f.maxLength} placeholder={t('formPreview.inputPlaceholder')} />;
    case 'number':
      return <InputNumber min={f.min} max={f.max} style={{ width: '100%' }} placeholder={t('formPreview.inputPlaceholder')} />;
    case 'select':
      return <Select options={(f.options ?? []).map((o) => ({ value: o, label: o }))} placeholder={t('formPreview.selectPlaceholder')} allowClear />;
    case 'multiselect':
      return <Select mode="multiple" options={(f.options ?? []).map((o) => ({ value: o, label: o }))} placeholder={t('formPreview.selectPlaceholder')} allowClear />;
    case 'boolean':
      return <Switch />;
    case 'date':
      return <DatePicker style={{ width: '100%' }} />;
    case 'phone':
      return <Input inputMode="tel" maxLength={13} placeholder={t('formPreview.inputPlaceholder')} />;
    case 'idnumber':
      return <Input maxLength={18} className="fq-mono" placeholder={t('formPreview.inputPlaceholder')} />;
    default:
      return <Input maxLength={f.maxLength ?? 200} placeholder={t('formPreview.inputPlaceholder')} />;
  }
}

/**
 * The form as the phone shows it, built from the schema being edited; what is typed in can be checked with the same
 * validator the phone and the server run (src/shared/forms.ts).
 */
export function FormPreview({ schema, title }: { schema: FormSchema; title?: string }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Record<string, unknown>>();
  const [result, setResult] = useState<FormError[] | null>(null);
  const usable = schema.fields.filter((f) => f && f.key && f.label);

  const check = () => {
    const raw = form.getFieldsValue(true) as Record<string, unknown>;
    const data: Record<string, unknown> = {};
    for (const f of usable) {
      const v = raw[f.key];
      if (v === undefined || v === null) continue;
      data[f.key] = dayjs.isDayjs(v) ? v.format('YYYY-MM-DD') : v;
    }
    const { errors } = validateFormData(schema, data);
    setResult(errors);
    form.setFields(usable.map((f) => ({ name: f.key, errors: errors.filter((e) => e.field === `data.${f.key}`).map((e) => e.message) })));
  };

  return (
    <div className="fq-phone-preview" style={{ border: '8px solid #1f1f1f', borderRadius: 28, padding: '18px 14px', background: '#fafafa', maxWidth: 360, margin: '0 auto', minHeight: 420 }}>
      {title ? (
        <Typography.Title level={5} style={{ textAlign: 'center', marginTop: 0 }}>
          {title}
        </Typography.Title>
      ) : null}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, textAlign: 'center' }}>
        {t('formPreview.hint')}
      </Typography.Paragraph>
      {usable.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('formPreview.empty')} />
      ) : (
        <Form form={form} layout="vertical" size="middle" onValuesChange={() => setResult(null)} data-testid="form-preview">
          {usable.map((f) => (
            <Form.Item key={f.key} name={f.key} label={f.label} required={f.required} extra={f.help} valuePropName={f.type === 'boolean' ? 'checked' : 'value'}>
              <FieldInput f={f} />
            </Form.Item>
          ))}
          <Button block onClick={check} data-testid="preview-check">
            {t('formPreview.check')}
          </Button>
          {result ? (
            <Alert style={{ marginTop: 12 }} type={result.length ? 'warning' : 'success'} showIcon title={result.length ? t('formPreview.errors', { n: result.length }) : t('formPreview.ok')} />
          ) : null}
        </Form>
      )}
    </div>
  );
}

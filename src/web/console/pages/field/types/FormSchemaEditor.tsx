import type { ReactNode } from 'react';
import { Button, Card, Col, Empty, Input, InputNumber, Row, Select, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { FORM_FIELD_TYPES, FORM_FIELD_TYPE_NAMES, MAX_FORM_FIELDS, type FormField, type FormFieldType } from '../../../../../shared/forms';

/** One labelled control with the server's message under it. */
function Cell({ label, error, children, span = 12 }: { label: string; error?: string; children: ReactNode; span?: number }) {
  return (
    <Col xs={24} md={span}>
      <div style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {label}
        </Typography.Text>
        <div>{children}</div>
        {error ? (
          <Typography.Text type="danger" style={{ fontSize: 12 }} role="alert">
            {error}
          </Typography.Text>
        ) : null}
      </div>
    </Col>
  );
}

const hasOptions = (t: FormFieldType) => t === 'select' || t === 'multiselect';
const hasLength = (t: FormFieldType) => t === 'text' || t === 'textarea';

/** The next free key `field1`, `field2` … */
function freeKey(fields: FormField[]): string {
  let n = fields.length + 1;
  while (fields.some((f) => f.key === `field${n}`)) n++;
  return `field${n}`;
}

/** Keeps only the properties a field's type uses (options of a select, bounds of a number …). */
function fitType(f: FormField, type: FormFieldType): FormField {
  const next: FormField = { key: f.key, label: f.label, type, required: f.required, help: f.help };
  if (hasOptions(type)) next.options = f.options ?? [];
  if (type === 'number') Object.assign(next, { min: f.min, max: f.max });
  if (hasLength(type)) next.maxLength = f.maxLength;
  return next;
}

export interface FormSchemaEditorProps {
  value: FormField[];
  onChange: (fields: FormField[]) => void;
  /** The server's messages by field path (`formSchema.fields.2.options`). */
  errors: Record<string, string>;
}

/** Edits the fields of an item type's form: add, remove, move; key, label, type, required, options, bounds, help. */
export function FormSchemaEditor({ value, onChange, errors }: FormSchemaEditorProps) {
  const { t, tx } = useI18n();
  const set = (i: number, patch: Partial<FormField>) => onChange(value.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  const move = (i: number, by: number) => {
    const next = [...value];
    const [f] = next.splice(i, 1);
    next.splice(i + by, 0, f);
    onChange(next);
  };
  const err = (i: number, prop: string) => errors[`formSchema.fields.${i}.${prop}`];

  return (
    <div data-testid="schema-editor">
      {errors['formSchema.fields'] ? (
        <Typography.Text type="danger" role="alert">
          {errors['formSchema.fields']}
        </Typography.Text>
      ) : null}
      {value.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('formEditor.empty')} /> : null}
      {value.map((f, i) => (
        <Card
          key={i}
          size="small"
          style={{ marginBottom: 12 }}
          title={
            <Space size={8}>
              <Typography.Text type="secondary">{i + 1}.</Typography.Text>
              <span>{f.label || t('formEditor.newLabel')}</span>
              <Tag>{tx(`formEditor.typeName.${f.type}`, FORM_FIELD_TYPE_NAMES[f.type] ?? f.type)}</Tag>
              {f.required ? <Tag color="red">{t('formEditor.required')}</Tag> : null}
            </Space>
          }
          extra={
            <Space size={2}>
              <Tooltip title={t('formEditor.moveUp')}>
                <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('formEditor.moveUp')} />
              </Tooltip>
              <Tooltip title={t('formEditor.moveDown')}>
                <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={i === value.length - 1} onClick={() => move(i, 1)} aria-label={t('formEditor.moveDown')} />
              </Tooltip>
              <Tooltip title={t('formEditor.remove')}>
                <Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={() => onChange(value.filter((_, j) => j !== i))} aria-label={t('formEditor.remove')} />
              </Tooltip>
            </Space>
          }
        >
          <Row gutter={12}>
            <Cell label={t('formEditor.label')} error={err(i, 'label')} span={8}>
              <Input value={f.label} maxLength={40} onChange={(e) => set(i, { label: e.target.value })} status={err(i, 'label') ? 'error' : undefined} data-testid={`field-${i}-label`} />
            </Cell>
            <Cell label={t('formEditor.key')} error={err(i, 'key')} span={8}>
              <Input value={f.key} maxLength={40} onChange={(e) => set(i, { key: e.target.value.trim() })} status={err(i, 'key') ? 'error' : undefined} placeholder={t('formEditor.keyHelp')} className="fq-mono" data-testid={`field-${i}-key`} />
            </Cell>
            <Cell label={t('formEditor.type')} error={err(i, 'type')} span={5}>
              <Select<FormFieldType>
                value={f.type}
                onChange={(type) => onChange(value.map((x, j) => (j === i ? fitType(x, type) : x)))}
                options={FORM_FIELD_TYPES.map((ty) => ({ value: ty, label: tx(`formEditor.typeName.${ty}`, FORM_FIELD_TYPE_NAMES[ty]) }))}
                style={{ width: '100%' }}
                data-testid={`field-${i}-type`}
              />
            </Cell>
            <Cell label={t('formEditor.required')} span={3}>
              <Switch checked={!!f.required} onChange={(v) => set(i, { required: v || undefined })} aria-label={t('formEditor.required')} />
            </Cell>
            {hasOptions(f.type) ? (
              <Cell label={t('formEditor.options')} error={err(i, 'options')} span={24}>
                <Select
                  mode="tags"
                  value={f.options ?? []}
                  onChange={(v: string[]) => set(i, { options: v.map((x) => x.trim()).filter(Boolean) })}
                  tokenSeparators={['，', ',', '、']}
                  open={false}
                  placeholder={t('formEditor.optionsPlaceholder')}
                  status={err(i, 'options') ? 'error' : undefined}
                  style={{ width: '100%' }}
                  data-testid={`field-${i}-options`}
                />
              </Cell>
            ) : null}
            {f.type === 'number' ? (
              <>
                <Cell label={t('formEditor.min')} error={err(i, 'min')} span={6}>
                  <InputNumber value={f.min} onChange={(v) => set(i, { min: v ?? undefined })} style={{ width: '100%' }} />
                </Cell>
                <Cell label={t('formEditor.max')} error={err(i, 'max')} span={6}>
                  <InputNumber value={f.max} onChange={(v) => set(i, { max: v ?? undefined })} style={{ width: '100%' }} status={err(i, 'max') ? 'error' : undefined} />
                </Cell>
              </>
            ) : null}
            {hasLength(f.type) ? (
              <Cell label={t('formEditor.maxLength')} error={err(i, 'maxLength')} span={6}>
                <InputNumber min={1} max={5000} precision={0} value={f.maxLength} onChange={(v) => set(i, { maxLength: v ?? undefined })} style={{ width: '100%' }} />
              </Cell>
            ) : null}
            <Cell label={t('formEditor.help')} error={err(i, 'help')} span={f.type === 'number' || hasLength(f.type) ? 12 : 24}>
              <Input value={f.help ?? ''} maxLength={200} onChange={(e) => set(i, { help: e.target.value || undefined })} />
            </Cell>
          </Row>
        </Card>
      ))}
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Button
          type="dashed"
          icon={<PlusOutlined />}
          disabled={value.length >= MAX_FORM_FIELDS}
          onClick={() => onChange([...value, { key: freeKey(value), label: '', type: 'text' }])}
          data-testid="field-add"
        >
          {t('formEditor.add')}
        </Button>
        <Typography.Text type="secondary">{t('formEditor.count', { n: value.length, max: MAX_FORM_FIELDS })}</Typography.Text>
      </Space>
    </div>
  );
}

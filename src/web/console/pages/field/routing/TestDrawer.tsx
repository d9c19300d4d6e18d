// 试运行: fill in an item type's fields and see which rules would route it, to whom.
import { useState } from 'react';
import { Alert, Button, DatePicker, Drawer, Empty, Flex, Form, Input, InputNumber, List, Select, Tag, Typography } from 'antd';
import { ExperimentOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { useIsMobile } from '../../../../shared/hooks/useMediaQuery';
import { applyProblemFields } from '../../../components/formErrors';
import { useTestRules } from '../../../data/field-routing';
import type { ItemTypeRef } from '../../../data/field-routing';
import type { FormField } from '../../../../../shared/forms';
import { OwnerTag } from './labels';
import { itemTypeOptions } from './RuleDrawer';

function FieldInput({ field, value, onChange }: { field: FormField; value?: unknown; onChange?: (v: unknown) => void }) {
  const { t } = useI18n();
  const options = (field.options ?? []).map((o) => ({ value: o, label: o }));
  switch (field.type) {
    case 'number':
      return <InputNumber value={value as number | undefined} onChange={(v) => onChange?.(v ?? undefined)} min={field.min} max={field.max} style={{ width: '100%' }} />;
    case 'select':
      return <Select allowClear value={value as string | undefined} onChange={onChange} options={options} />;
    case 'multiselect':
      return <Select mode="multiple" allowClear value={value as string[] | undefined} onChange={onChange} options={options} />;
    case 'boolean':
      return (
        <Select
          allowClear
          value={value as boolean | undefined}
          onChange={onChange}
          options={[
            { value: true, label: t('common.yes') },
            { value: false, label: t('common.no') },
          ]}
        />
      );
    case 'date':
      return <DatePicker value={typeof value === 'string' ? dayjs(value) : undefined} onChange={(d: Dayjs | null) => onChange?.(d ? d.format('YYYY-MM-DD') : undefined)} style={{ width: '100%' }} />;
    case 'textarea':
      return <Input.TextArea rows={2} value={value as string | undefined} onChange={(e) => onChange?.(e.target.value)} />;
    default:
      return <Input value={value as string | undefined} onChange={(e) => onChange?.(e.target.value)} />;
  }
}

export function TestDrawer({ types, onClose }: { types: ItemTypeRef[] | undefined; onClose: () => void }) {
  const { t } = useI18n();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<Record<string, unknown>>();
  const [code, setCode] = useState<string>();
  const test = useTestRules();
  const type = types?.find((x) => x.code === code);

  const run = (values: Record<string, unknown>) => {
    if (!code) return;
    const data = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)));
    test.mutate(
      { itemTypeCode: code, data },
      { onError: (err) => applyProblemFields(form, err, Object.fromEntries((type?.formSchema.fields ?? []).map((f) => [`data.${f.key}`, f.key]))) },
    );
  };

  return (
    <Drawer open title={t('fieldRouting.test.title')} onClose={onClose} size={isMobile ? '100%' : 560} destroyOnHidden data-testid="test-drawer">
      <Typography.Paragraph type="secondary">{t('fieldRouting.test.hint')}</Typography.Paragraph>
      <Select
        showSearch={{ optionFilterProp: 'label' }}
        value={code}
        onChange={(v: string) => {
          setCode(v);
          form.resetFields();
          test.reset();
        }}
        options={itemTypeOptions(types)}
        placeholder={t('fieldRouting.rule.itemTypePlaceholder')}
        style={{ width: '100%', marginBottom: 16 }}
        data-testid="test-type"
      />
      {type ? (
        <Form form={form} layout="vertical" onFinish={run} onValuesChange={() => test.reset()}>
          {type.formSchema.fields.map((f) => (
            <Form.Item key={f.key} name={f.key} label={f.label} style={{ marginBottom: 12 }}>
              <FieldInput field={f} />
            </Form.Item>
          ))}
          {type.formSchema.fields.length === 0 ? <Alert type="info" showIcon title={t('fieldRouting.rule.noFields')} style={{ marginBottom: 12 }} /> : null}
          <Button type="primary" icon={<ExperimentOutlined />} htmlType="submit" loading={test.isPending} block data-testid="test-run">
            {t('fieldRouting.test.run')}
          </Button>
        </Form>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('fieldRouting.test.pickType')} />
      )}
      {test.isError ? <ProblemAlert error={test.error} style={{ marginTop: 16 }} fieldLabels={Object.fromEntries((type?.formSchema.fields ?? []).map((f) => [`data.${f.key}`, f.label]))} /> : null}
      {test.data ? (
        <div style={{ marginTop: 20 }} data-testid="test-result">
          <Typography.Title level={5}>{t('fieldRouting.test.result')}</Typography.Title>
          {test.data.matches.length ? (
            <List
              size="small"
              bordered
              dataSource={test.data.matches}
              renderItem={(m, i) => (
                <List.Item>
                  <Flex justify="space-between" align="center" gap={8} style={{ width: '100%' }} wrap>
                    <span>
                      <Tag>{i + 1}</Tag>
                      {m.name}
                    </span>
                    <Flex gap={8} align="center">
                      <OwnerTag kind={m.target.kind} name={m.target.name} />
                      <Typography.Text type="secondary">{t('fieldRouting.test.hours', { h: m.acceptHours })}</Typography.Text>
                    </Flex>
                  </Flex>
                </List.Item>
              )}
            />
          ) : (
            <Alert type="warning" showIcon title={t('fieldRouting.test.none')} />
          )}
        </div>
      ) : null}
    </Drawer>
  );
}

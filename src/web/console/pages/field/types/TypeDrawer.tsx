import { useEffect, useState } from 'react';
import { Alert, App, Button, Col, Divider, Drawer, Form, Input, InputNumber, Row, Select, Space, Switch, Tag, Typography } from 'antd';
import { useI18n } from '../../../../shared/i18n';
import { isApiError } from '../../../../shared/api';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { applyProblemFields } from '../../../components/formErrors';
import { useSaveItemType } from '../../../data/field';
import type { Category, ItemType } from '../../../data/field';
import type { FormField } from '../../../../../shared/forms';
import { FormSchemaEditor } from './FormSchemaEditor';
import { FormPreview } from './FormPreview';

interface Values {
  code: string;
  categoryCode: string;
  name: string;
  description?: string;
  needsAddress: boolean;
  needsPhoto: boolean;
  needsLocation: boolean;
  sort?: number;
  status: 'active' | 'inactive';
}

const FIELDS: Record<string, string> = {
  code: 'code',
  categoryCode: 'categoryCode',
  name: 'name',
  description: 'description',
  sort: 'sort',
  status: 'status',
};

/** Creates or edits an item type: its properties, and its form with a live preview of what the phone will show. */
export function TypeDrawer({ type, categories, defaultCategory, open, onClose }: { type?: ItemType; categories: Category[]; defaultCategory?: string; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [fields, setFields] = useState<FormField[]>([]);
  const [schemaErrors, setSchemaErrors] = useState<Record<string, string>>({});
  const save = useSaveItemType();
  const name = Form.useWatch('name', form);

  useEffect(() => {
    if (!open) return;
    save.reset();
    setSchemaErrors({});
    setFields(type ? type.formSchema.fields.map((f) => ({ ...f })) : []);
    form.setFieldsValue(
      type
        ? {
            code: type.code,
            categoryCode: type.categoryCode,
            name: type.name,
            description: type.description ?? undefined,
            needsAddress: type.needsAddress,
            needsPhoto: type.needsPhoto,
            needsLocation: type.needsLocation,
            sort: type.sort,
            status: type.status,
          }
        : { code: '', categoryCode: defaultCategory ?? categories[0]?.code, name: '', needsAddress: false, needsPhoto: false, needsLocation: false, status: 'active' },
    );
    // the drawer loads its type when it opens
  }, [open, type?.id, type?.version]);

  const submit = async () => {
    const v = await form.validateFields();
    setSchemaErrors({});
    const body = {
      categoryCode: v.categoryCode,
      name: v.name.trim(),
      description: v.description?.trim() || null,
      formSchema: { fields: fields.map((f) => Object.fromEntries(Object.entries(f).filter(([, x]) => x !== undefined && x !== '')) as unknown as FormField) },
      needsAddress: v.needsAddress,
      needsPhoto: v.needsPhoto,
      needsLocation: v.needsLocation,
      ...(v.sort !== undefined && v.sort !== null ? { sort: v.sort } : {}),
      ...(type ? { status: v.status, version: type.version } : { code: v.code.trim() }),
    };
    save.mutate(
      { id: type?.id, body },
      {
        onSuccess: () => {
          message.success(t('fieldType.saved'));
          onClose();
        },
        onError: (err) => {
          if (isApiError(err) && err.extensions.reason === 'VERSION_CONFLICT') {
            message.warning(t('fieldType.stale'));
            onClose();
            return;
          }
          applyProblemFields(form, err, FIELDS);
          if (isApiError(err)) setSchemaErrors(Object.fromEntries(err.errors.filter((e) => e.field.startsWith('formSchema')).map((e) => [e.field.replace(/\//g, '.').replace(/^\./, ''), e.message])));
        },
      },
    );
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={1240}
      destroyOnHidden
      title={
        <Space>
          {type ? t('fieldType.editTitle', { name: type.name }) : t('fieldType.createTitle')}
          {type ? <Tag>{t('fieldType.version', { version: type.version })}</Tag> : null}
          {type?.builtin ? <Tag color="blue">{t('fieldTypes.builtin')}</Tag> : null}
        </Space>
      }
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => void submit()} data-testid="type-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Row gutter={24}>
        <Col xs={24} xl={15}>
          {save.isError ? <ProblemAlert error={save.error} style={{ marginBottom: 16 }} /> : null}
          {type?.builtin ? <Alert type="info" showIcon title={t('fieldType.builtinNote')} style={{ marginBottom: 16 }} /> : null}
          <Typography.Title level={5}>{t('fieldType.section.basic')}</Typography.Title>
          <Form form={form} layout="vertical" requiredMark>
            <Row gutter={16}>
              <Col span={12}>
                <Form.Item name="name" label={t('fieldType.name')} rules={[{ required: true, whitespace: true, message: t('fieldType.required.name') }]}>
                  <Input maxLength={40} data-testid="type-name" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="code" label={t('fieldType.code')} extra={t('fieldType.codeHelp')} rules={type ? [] : [{ required: true, whitespace: true, message: t('fieldType.required.code') }]}>
                  <Input maxLength={40} disabled={!!type} className="fq-mono" data-testid="type-code" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="categoryCode" label={t('fieldType.category')} rules={[{ required: true, message: t('fieldType.required.category') }]}>
                  <Select options={categories.map((c) => ({ value: c.code, label: c.status === 'active' ? c.name : `${c.name}（${t('fieldTypes.inactive')}）` }))} data-testid="type-category" />
                </Form.Item>
              </Col>
              <Col span={6}>
                <Form.Item name="sort" label={t('fieldType.sort')}>
                  <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col span={6}>
                {type ? (
                  <Form.Item name="status" label={t('fieldType.status')}>
                    <Select
                      options={[
                        { value: 'active', label: t('fieldTypes.active') },
                        { value: 'inactive', label: t('fieldTypes.inactive') },
                      ]}
                      data-testid="type-status"
                    />
                  </Form.Item>
                ) : null}
              </Col>
              <Col span={24}>
                <Form.Item name="description" label={t('fieldType.description')} extra={t('fieldType.descriptionHelp')}>
                  <Input.TextArea rows={2} maxLength={500} showCount />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="needsAddress" label={t('fieldType.needsAddress')} valuePropName="checked">
                  <Switch />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="needsPhoto" label={t('fieldType.needsPhoto')} valuePropName="checked">
                  <Switch />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="needsLocation" label={t('fieldType.needsLocation')} valuePropName="checked">
                  <Switch />
                </Form.Item>
              </Col>
            </Row>
          </Form>
          <Divider />
          <Typography.Title level={5}>{t('fieldType.section.form')}</Typography.Title>
          <FormSchemaEditor value={fields} onChange={setFields} errors={schemaErrors} />
        </Col>
        <Col xs={24} xl={9}>
          <div style={{ position: 'sticky', top: 0 }}>
            <Typography.Title level={5}>{t('fieldType.section.preview')}</Typography.Title>
            <FormPreview schema={{ fields }} title={name} />
          </div>
        </Col>
      </Row>
    </Drawer>
  );
}

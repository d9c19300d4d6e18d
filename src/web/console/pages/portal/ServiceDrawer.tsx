import { useState } from 'react';
import { App, Button, Col, Flex, Form, Input, InputNumber, Row, Select, Space, Switch, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../../shared/i18n';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { FormDrawer } from '../../components/FormDrawer';
import { applyProblemFields } from '../../components/formErrors';
import { SERVICE_CATEGORIES, useSaveService } from '../../data/portal';
import type { Office, Service, ServiceBody, ServiceCategory } from '../../data/portal';

interface Values {
  category: ServiceCategory;
  name: string;
  description?: string;
  requiredDocs: string[];
  fullyOnline: boolean;
  slotMinutes: number;
  capacity: number;
  daysAhead: number;
  active: boolean;
}

const FIELDS = {
  category: 'category',
  name: 'name',
  description: 'description',
  requiredDocs: 'requiredDocs',
  fullyOnline: 'fullyOnline',
  slotMinutes: 'slotMinutes',
  capacity: 'capacity',
  daysAhead: 'daysAhead',
  status: 'active',
} as const;

const DOC_MAX = 20;

/** A list of short texts edited as tags: type, press Enter (or 添加) to add; × to remove. */
export function DocsEditor({ value, onChange, id }: { value?: string[]; onChange?: (v: string[]) => void; id?: string }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState('');
  const docs = value ?? [];
  const add = () => {
    const v = draft.trim();
    if (!v) return;
    if (!docs.includes(v) && docs.length < DOC_MAX) onChange?.([...docs, v]);
    setDraft('');
  };
  return (
    <div data-testid="docs-editor">
      {docs.length ? (
        <Flex gap={6} wrap style={{ marginBottom: 8 }}>
          {docs.map((d) => (
            <Tag key={d} closable onClose={() => onChange?.(docs.filter((x) => x !== d))} color="blue" style={{ marginInlineEnd: 0, fontSize: 13, padding: '2px 8px' }}>
              {d}
            </Tag>
          ))}
        </Flex>
      ) : (
        <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
          {t('portalService.docs.none')}
        </Typography.Text>
      )}
      <Space.Compact style={{ width: '100%' }}>
        <Input
          id={id}
          value={draft}
          maxLength={60}
          onChange={(e) => setDraft(e.target.value)}
          onPressEnter={(e) => {
            e.preventDefault();
            add();
          }}
          placeholder={t('portalService.docs.placeholder')}
          disabled={docs.length >= DOC_MAX}
          data-testid="docs-input"
        />
        <Button icon={<PlusOutlined />} onClick={add} disabled={!draft.trim() || docs.length >= DOC_MAX}>
          {t('portalService.docs.add')}
        </Button>
      </Space.Compact>
    </div>
  );
}

/** Create or change a service an office takes appointments for. */
export function ServiceDrawer({ office, service, onClose }: { office: Office; service?: Service; onClose: () => void }) {
  const { t, tx } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const save = useSaveService();
  const fullyOnline = Form.useWatch('fullyOnline', form);

  const initialValues: Values = service
    ? {
        category: service.category as ServiceCategory,
        name: service.name,
        description: service.description ?? undefined,
        requiredDocs: service.requiredDocs ?? [],
        fullyOnline: service.fullyOnline,
        slotMinutes: service.slotMinutes,
        capacity: service.capacity,
        daysAhead: service.daysAhead,
        active: service.status !== 'inactive',
      }
    : { category: 'huzheng', name: '', requiredDocs: [], fullyOnline: false, slotMinutes: 30, capacity: 2, daysAhead: 7, active: true };

  const fieldLabels: Record<string, string> = {
    officeId: t('portalService.office'),
    category: t('portalService.category'),
    name: t('portalService.name'),
    description: t('portalService.description'),
    requiredDocs: t('portalService.docs'),
    fullyOnline: t('portalService.fullyOnline'),
    slotMinutes: t('portalService.slotMinutes'),
    capacity: t('portalService.capacity'),
    daysAhead: t('portalService.daysAhead'),
    status: t('common.status'),
  };

  const submit = (v: Values) => {
    setError(null);
    const body: ServiceBody = {
      category: v.category,
      name: v.name.trim(),
      description: v.description?.trim() || null,
      requiredDocs: v.requiredDocs ?? [],
      fullyOnline: !!v.fullyOnline,
      slotMinutes: v.slotMinutes,
      capacity: v.capacity,
      daysAhead: v.daysAhead,
    };
    if (service) {
      const status = v.active ? 'active' : 'inactive';
      if (status !== service.status) body.status = status;
    } else {
      body.officeId = office.id;
      if (!body.description) delete body.description;
    }
    save.mutate(
      { id: service?.id, body },
      {
        onSuccess: () => {
          message.success(service ? t('common.saved') : t('portalService.created', { name: body.name ?? '' }));
          onClose();
        },
        onError: (err) => {
          setError(err);
          applyProblemFields(form, err, FIELDS);
        },
      },
    );
  };

  return (
    <FormDrawer
      title={service ? t('portalService.editTitle', { name: service.name }) : t('portalService.createTitle', { office: office.name })}
      onSubmit={() => form.submit()}
      onClose={onClose}
      saving={save.isPending}
      width={680}
      data-testid="service-form"
    >
      {error ? <ProblemAlert error={error} fieldLabels={fieldLabels} style={{ marginBottom: 16 }} /> : null}
      <Form<Values> form={form} layout="vertical" initialValues={initialValues} onFinish={submit} scrollToFirstError>
        <Row gutter={16}>
          <Col xs={24} sm={10}>
            <Form.Item name="category" label={t('portalService.category')} rules={[{ required: true, message: t('validation.required') }]}>
              <Select options={SERVICE_CATEGORIES.map((c) => ({ value: c, label: tx(`portalService.category.${c}`, c) }))} data-testid="service-category" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={14}>
            <Form.Item
              name="name"
              label={t('portalService.name')}
              rules={[
                { required: true, whitespace: true, message: t('validation.required') },
                { min: 2, message: t('validation.minLength', { min: 2 }) },
                { max: 60, message: t('validation.maxLength', { max: 60 }) },
              ]}
            >
              <Input maxLength={60} placeholder={t('portalService.namePlaceholder')} data-testid="service-name" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="description" label={t('portalService.description')} rules={[{ max: 1000, message: t('validation.maxLength', { max: 1000 }) }]}>
              <Input.TextArea rows={3} maxLength={1000} showCount />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="requiredDocs" label={t('portalService.docs')} extra={t('portalService.docs.hint')}>
              <DocsEditor />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item
              name="fullyOnline"
              label={t('portalService.fullyOnline')}
              valuePropName="checked"
              extra={fullyOnline ? t('portalService.fullyOnline.on') : t('portalService.fullyOnline.off')}
            >
              <Switch data-testid="service-online" />
            </Form.Item>
          </Col>
          <Col xs={8}>
            <Form.Item name="slotMinutes" label={t('portalService.slotMinutes')} rules={[{ required: true, message: t('validation.required') }]}>
              <InputNumber min={10} max={240} step={5} suffix={t('portalService.minutes')} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={8}>
            <Form.Item name="capacity" label={t('portalService.capacity')} rules={[{ required: true, message: t('validation.required') }]}>
              <InputNumber min={1} max={100} suffix={t('portalService.people')} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={8}>
            <Form.Item name="daysAhead" label={t('portalService.daysAhead')} rules={[{ required: true, message: t('validation.required') }]}>
              <InputNumber min={1} max={60} suffix={t('portalService.days')} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          {service ? (
            <Col xs={24}>
              <Form.Item name="active" label={t('portalService.active')} valuePropName="checked" extra={t('portalService.active.hint')}>
                <Switch />
              </Form.Item>
            </Col>
          ) : null}
        </Row>
      </Form>
    </FormDrawer>
  );
}

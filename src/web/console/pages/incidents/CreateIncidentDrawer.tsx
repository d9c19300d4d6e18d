import { useMemo, useState } from 'react';
import { App, Col, DatePicker, Form, Input, InputNumber, Radio, Row, TreeSelect } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../../../shared/i18n';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { FormDrawer } from '../../components/FormDrawer';
import { AddressPicker } from '../../components/AddressPicker';
import { OrgUnitSelect } from '../../components/OrgUnitSelect';
import { applyProblemFields } from '../../components/formErrors';
import { useAuth } from '../../auth/AuthProvider';
import { useCreateIncident, useIncidentCategories } from '../../data/incidents';
import type { NewIncident } from '../../data/incidents';
import { categoryOptions } from './labels';

interface Values {
  source: NewIncident['source'];
  categoryId?: string;
  occurredAt: Dayjs;
  placeBy: 'address' | 'point' | 'none';
  addressId?: string | null;
  lat?: number | null;
  lng?: number | null;
  place?: string;
  summary: string;
  callerName?: string;
  callerPhone?: string;
  orgUnitId?: string;
}

const FIELDS = { source: 'source', categoryId: 'categoryId', occurredAt: 'occurredAt', addressId: 'addressId', lat: 'lat', lng: 'lng', place: 'place', summary: 'summary', callerName: 'callerName', callerPhone: 'callerPhone', orgUnitId: 'orgUnitId' } as const;

/** 登记警情: category, time, where (a standard address or a point), what happened, who called. */
export function CreateIncidentDrawer({ onClose, onCreated }: { onClose: () => void; onCreated: (id: string) => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const create = useCreateIncident();
  const cats = useIncidentCategories();
  const tree = useMemo(() => categoryOptions(cats.data ?? [], { leavesOnly: true, nonPoliceMark: t('incident.category.nonPolice') }), [cats.data, t]);
  const placeBy = Form.useWatch('placeBy', form);

  const submit = async (v: Values) => {
    setError(null);
    const body: NewIncident = {
      source: v.source,
      categoryId: v.categoryId!,
      occurredAt: v.occurredAt.toISOString(),
      summary: v.summary,
      ...(v.placeBy === 'address' && v.addressId ? { addressId: v.addressId } : {}),
      ...(v.placeBy === 'point' && v.lat != null && v.lng != null ? { lat: v.lat, lng: v.lng } : {}),
      ...(v.place?.trim() ? { place: v.place.trim() } : {}),
      ...(v.callerName?.trim() ? { callerName: v.callerName.trim() } : {}),
      ...(v.callerPhone?.trim() ? { callerPhone: v.callerPhone.trim() } : {}),
      ...(v.orgUnitId ? { orgUnitId: v.orgUnitId } : {}),
    };
    try {
      const created = await create.mutateAsync(body);
      message.success(t('incident.create.done', { code: created.code }));
      onClose();
      onCreated(created.id);
    } catch (err) {
      setError(err);
      applyProblemFields(form, err, FIELDS);
    }
  };

  return (
    <FormDrawer title={t('incident.create.title')} onSubmit={() => form.submit()} onClose={onClose} saving={create.isPending} data-testid="incident-create-drawer">
      {error ? <ProblemAlert error={error} style={{ marginBottom: 16 }} /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ source: 'walk_in', occurredAt: dayjs().second(0), placeBy: 'address' }}
        requiredMark
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="categoryId" label={t('incident.field.category')} rules={[{ required: true, message: t('incident.create.categoryRequired') }]}>
              <TreeSelect treeData={tree} showSearch={{ treeNodeFilterProp: 'title' }} treeDefaultExpandAll={false} placeholder={t('incident.create.categoryPlaceholder')} loading={cats.isLoading} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="occurredAt" label={t('incident.field.occurredAt')} rules={[{ required: true, message: t('incident.create.timeRequired') }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="source" label={t('incident.field.source')}>
          <Radio.Group
            optionType="button"
            options={(['walk_in', '110', 'other'] as const).map((s) => ({ value: s, label: t(`incident.source.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="placeBy" label={t('incident.create.placeBy')}>
          <Radio.Group
            options={[
              { value: 'address', label: t('incident.create.byAddress') },
              { value: 'point', label: t('incident.create.byPoint') },
              { value: 'none', label: t('incident.create.byNone') },
            ]}
          />
        </Form.Item>
        {placeBy === 'address' ? (
          <Form.Item name="addressId" label={t('incident.field.address')} extra={t('incident.create.addressHint')}>
            <AddressPicker />
          </Form.Item>
        ) : null}
        {placeBy === 'point' ? (
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="lng" label={t('incident.field.lng')} rules={[{ required: true, message: t('incident.create.lngRequired') }]}>
                <InputNumber min={-180} max={180} step={0.0001} style={{ width: '100%' }} placeholder="117.9712" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="lat" label={t('incident.field.lat')} rules={[{ required: true, message: t('incident.create.latRequired') }]}>
                <InputNumber min={-90} max={90} step={0.0001} style={{ width: '100%' }} placeholder="37.3821" />
              </Form.Item>
            </Col>
          </Row>
        ) : null}
        <Form.Item name="place" label={t('incident.field.placeText')}>
          <Input maxLength={200} placeholder={t('incident.create.placePlaceholder')} />
        </Form.Item>
        <Form.Item name="summary" label={t('incident.field.summary')} rules={[{ required: true, whitespace: true, message: t('incident.create.summaryRequired') }]}>
          <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('incident.create.summaryPlaceholder')} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="callerName" label={t('incident.field.callerName')}>
              <Input maxLength={64} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="callerPhone" label={t('incident.field.callerPhone')}>
              <Input maxLength={32} inputMode="tel" />
            </Form.Item>
          </Col>
        </Row>
        {can('org.read') ? (
          <Form.Item name="orgUnitId" label={t('incident.field.handlingUnit')} extra={t('incident.create.unitHint')}>
            <OrgUnitSelect />
          </Form.Item>
        ) : null}
      </Form>
    </FormDrawer>
  );
}

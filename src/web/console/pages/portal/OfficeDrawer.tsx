import { useState } from 'react';
import { App, Col, Divider, Form, Input, InputNumber, Radio, Row, Select } from 'antd';
import type { FormInstance } from 'antd';
import { isApiError } from '../../../shared/api';
import { useI18n } from '../../../shared/i18n';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { FormDrawer } from '../../components/FormDrawer';
import { OrgUnitSelect } from '../../components/OrgUnitSelect';
import { problemFieldPath } from '../../components/formErrors';
import { PHONE_PATTERN } from '../../components/validation';
import { OFFICE_KINDS, useSaveOffice } from '../../data/portal';
import type { Office, OfficeBody, OfficeKind } from '../../data/portal';
import { HoursEditor, hoursFromRows, rowsFromHours } from './HoursEditor';
import type { HoursRow } from './HoursEditor';

interface Values {
  orgUnitId?: string;
  kind: OfficeKind;
  name: string;
  address?: string;
  phone?: string;
  lng?: number | null;
  lat?: number | null;
  hours: HoursRow[];
  hoursNote?: string;
  status?: 'active' | 'inactive';
}

const SIMPLE_FIELDS = ['orgUnitId', 'kind', 'name', 'address', 'phone', 'lng', 'lat', 'hoursNote', 'status'];

const orNull = (v: string | undefined) => v?.trim() || null;

/** Create or change a police office: unit, kind, contact, position and opening hours. */
export function OfficeDrawer({ office, defaultUnitId, onClose }: { office?: Office; defaultUnitId?: string; onClose: () => void }) {
  const { t, tx } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const save = useSaveOffice();

  const initialValues: Partial<Values> = office
    ? {
        orgUnitId: office.orgUnitId ?? office.orgUnit?.id,
        kind: office.kind as OfficeKind,
        name: office.name,
        address: office.address ?? undefined,
        phone: office.phone ?? undefined,
        lng: office.lng,
        lat: office.lat,
        hours: rowsFromHours(office.hours ?? []),
        hoursNote: office.hoursNote ?? undefined,
        status: office.status ?? 'active',
      }
    : { kind: 'office', orgUnitId: defaultUnitId, hours: [] };

  const fieldLabels: Record<string, string> = {
    orgUnitId: t('portalOffice.unit'),
    kind: t('portalOffice.kind'),
    name: t('portalOffice.name'),
    address: t('portalOffice.address'),
    phone: t('portalOffice.phone'),
    lng: t('portalOffice.lng'),
    lat: t('portalOffice.lat'),
    hours: t('portalOffice.hours'),
    hoursNote: t('portalOffice.hoursNote'),
    status: t('common.status'),
  };

  /** Puts the server's field errors on the form; `hours.N.x` lands on the row period N came from. */
  const placeErrors = (err: unknown, rowOf: number[]) => {
    if (!isApiError(err)) return;
    const fields: Array<{ name: (string | number)[] | string; errors: string[] }> = [];
    for (const e of err.errors) {
      const path = problemFieldPath(e.field);
      const m = /^hours\.(\d+)(?:\.(\w+))?$/.exec(path);
      if (m) {
        const row = rowOf[Number(m[1])];
        if (row === undefined) continue;
        const sub = m[2] === 'open' || m[2] === 'close' ? m[2] : m[2] === 'day' ? 'days' : 'close';
        fields.push({ name: ['hours', row, sub], errors: [e.message] });
      } else if (SIMPLE_FIELDS.includes(path)) fields.push({ name: path, errors: [e.message] });
    }
    // the list's nested paths are beyond the form's typed names
    if (fields.length) (form as FormInstance).setFields(fields);
  };

  const submit = (v: Values) => {
    setError(null);
    const { hours, rowOf } = hoursFromRows(v.hours ?? []);
    const body: OfficeBody = {
      kind: v.kind,
      name: v.name.trim(),
      address: orNull(v.address),
      phone: orNull(v.phone),
      lng: v.lng ?? null,
      lat: v.lat ?? null,
      hours,
      hoursNote: orNull(v.hoursNote),
    };
    if (v.orgUnitId) body.orgUnitId = v.orgUnitId;
    if (office) {
      if (v.status && v.status !== office.status) body.status = v.status;
    } else {
      // a new office leaves out what is empty
      for (const k of ['address', 'phone', 'lng', 'lat', 'hoursNote'] as const) if (body[k] == null) delete body[k];
    }
    save.mutate(
      { id: office?.id, body },
      {
        onSuccess: (saved) => {
          message.success(office ? t('common.saved') : t('portalOffice.created', { name: saved?.name ?? body.name ?? '' }));
          onClose();
        },
        onError: (err) => {
          setError(err);
          placeErrors(err, rowOf);
        },
      },
    );
  };

  return (
    <FormDrawer
      title={office ? t('portalOffice.editTitle', { name: office.name }) : t('portalOffice.createTitle')}
      onSubmit={() => form.submit()}
      onClose={onClose}
      saving={save.isPending}
      width={760}
      data-testid="office-form"
    >
      {error ? <ProblemAlert error={error} fieldLabels={fieldLabels} style={{ marginBottom: 16 }} /> : null}
      <Form<Values> form={form} layout="vertical" initialValues={initialValues} onFinish={submit} scrollToFirstError>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="orgUnitId" label={t('portalOffice.unit')} rules={[{ required: true, message: t('validation.required') }]}>
              <OrgUnitSelect disableInactive allowClear={false} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="kind" label={t('portalOffice.kind')} rules={[{ required: true, message: t('validation.required') }]}>
              <Select options={OFFICE_KINDS.map((k) => ({ value: k, label: tx(`portalOffice.kind.${k}`, k) }))} data-testid="office-kind" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item
              name="name"
              label={t('portalOffice.name')}
              rules={[
                { required: true, whitespace: true, message: t('validation.required') },
                { min: 2, message: t('validation.minLength', { min: 2 }) },
                { max: 60, message: t('validation.maxLength', { max: 60 }) },
              ]}
            >
              <Input maxLength={60} placeholder={t('portalOffice.namePlaceholder')} data-testid="office-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={16}>
            <Form.Item name="address" label={t('portalOffice.address')} rules={[{ max: 200, message: t('validation.maxLength', { max: 200 }) }]}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="phone" label={t('portalOffice.phone')} rules={[{ pattern: PHONE_PATTERN, message: t('validation.phone') }]}>
              <Input maxLength={32} inputMode="tel" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="lng" label={t('portalOffice.lng')}>
              <InputNumber min={73} max={136} step={0.000001} precision={6} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="lat" label={t('portalOffice.lat')}>
              <InputNumber min={3} max={54} step={0.000001} precision={6} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          {office ? (
            <Col xs={24} sm={8}>
              <Form.Item name="status" label={t('common.status')}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'active', label: t('status.active') },
                    { value: 'inactive', label: t('status.inactive') },
                  ]}
                />
              </Form.Item>
            </Col>
          ) : null}
        </Row>
        <Divider titlePlacement="start" plain>
          {t('portalOffice.hours')}
        </Divider>
        <HoursEditor form={form} />
        <Form.Item
          name="hoursNote"
          label={t('portalOffice.hoursNote')}
          style={{ marginTop: 16 }}
          rules={[{ max: 200, message: t('validation.maxLength', { max: 200 }) }]}
        >
          <Input.TextArea rows={2} maxLength={200} showCount placeholder={t('portalOffice.hoursNotePlaceholder')} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, AutoComplete, Col, DatePicker, Divider, Form, Input, Radio, Row, Select, Switch, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { api } from '../../../../shared/api';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { useAuth } from '../../../auth/AuthProvider';
import { AddressPicker } from '../../../components/AddressPicker';
import { FormDrawer } from '../../../components/FormDrawer';
import { OrgUnitSelect } from '../../../components/OrgUnitSelect';
import { IdNumberHint, idNumberRules } from '../../../components/codeFields';
import { newClientId } from '../../../components/clientId';
import { ETHNICITIES } from '../../../components/ethnicities';
import { applyProblemFields, dateString, type FieldPath } from '../../../components/formErrors';
import { foldCode } from '../../../components/idChecks';
import { PERSON_PHONE_PATTERN } from '../../../components/validation';
import { DWELLING_LEVELS } from '../../../data/registry';
import { PERSON_TYPES, RELATIONS, existingPersonIdOf, personKeys, registerPerson } from '../../../data/population';
import type { Person, PersonCreateBody, PersonPatchBody, PersonType, Relation } from '../../../data/population';

interface Values {
  personType: PersonType;
  name: string;
  idNumber?: string;
  phone?: string;
  ethnicity?: string;
  hukouAddress?: string;
  nationality?: string;
  passportNo?: string;
  passportExpiry?: Dayjs | null;
  floatingRegisteredOn?: Dayjs | null;
  expectedStayUntil?: Dayjs | null;
  permitIssuedOn?: Dayjs | null;
  orgUnitId?: string;
  withResidence?: boolean;
  residence?: { addressId?: string | null; relation?: Relation; fromDate?: Dayjs | null };
}

/** The server's field names → this form's fields. */
const FIELDS: Record<string, FieldPath> = {
  personType: 'personType',
  name: 'name',
  idNumber: 'idNumber',
  phone: 'phone',
  ethnicity: 'ethnicity',
  hukouAddress: 'hukouAddress',
  nationality: 'nationality',
  passportNo: 'passportNo',
  passportExpiry: 'passportExpiry',
  floatingRegisteredOn: 'floatingRegisteredOn',
  expectedStayUntil: 'expectedStayUntil',
  permitIssuedOn: 'permitIssuedOn',
  orgUnitId: 'orgUnitId',
  residence: ['residence', 'addressId'],
  'residence.addressId': ['residence', 'addressId'],
  'residence.relation': ['residence', 'relation'],
  'residence.fromDate': ['residence', 'fromDate'],
};

const FLOATING_FIELDS = ['floatingRegisteredOn', 'expectedStayUntil', 'permitIssuedOn'] as const;
const notAfterToday = (d: Dayjs) => d.isAfter(dayjs(), 'day');
const trimmed = (v: string | undefined | null) => v?.trim() || undefined;

export type PersonFormMode = { type: 'create' } | { type: 'edit'; person: Person; hasCurrentResidence: boolean };

/** Register a person (登记人员) or change one (修改人员信息). */
export function PersonFormDrawer({ mode, onClose, onSaved }: { mode: PersonFormMode; onClose: () => void; onSaved: (person: Person) => void }) {
  const { t, tx } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  // one submission id per opened form: a double submit or a retry after a lost answer registers once
  const [clientId] = useState(newClientId);
  const editing = mode.type === 'edit' ? mode.person : null;
  const personType = Form.useWatch('personType', form) ?? editing?.personType ?? 'registered';
  const withResidence = Form.useWatch('withResidence', form);
  const idValue = Form.useWatch('idNumber', form);
  const floatingFrom = Form.useWatch('floatingRegisteredOn', form);

  const initialValues: Partial<Values> = editing
    ? {
        personType: editing.personType as PersonType,
        name: editing.name,
        phone: editing.phone ?? undefined,
        ethnicity: editing.ethnicity ?? undefined,
        hukouAddress: editing.hukouAddress ?? undefined,
        nationality: editing.nationality ?? undefined,
        passportExpiry: editing.passportExpiry ? dayjs(editing.passportExpiry) : null,
        floatingRegisteredOn: editing.floatingRegisteredOn ? dayjs(editing.floatingRegisteredOn) : null,
        expectedStayUntil: editing.expectedStayUntil ? dayjs(editing.expectedStayUntil) : null,
        permitIssuedOn: editing.permitIssuedOn ? dayjs(editing.permitIssuedOn) : null,
        orgUnitId: editing.orgUnit?.id,
      }
    : { personType: 'registered', withResidence: true, residence: { fromDate: dayjs() } };

  const createBody = (v: Values): PersonCreateBody => {
    const type = v.personType;
    const body: PersonCreateBody = { name: v.name.trim(), personType: type, clientId };
    const set = <K extends keyof PersonCreateBody>(key: K, value: PersonCreateBody[K] | undefined) => {
      if (value !== undefined) body[key] = value;
    };
    if (type === 'overseas') {
      set('nationality', trimmed(v.nationality));
      set('passportNo', trimmed(v.passportNo) ? foldCode(v.passportNo ?? '') : undefined);
      set('passportExpiry', dateString(v.passportExpiry));
    } else {
      set('idNumber', trimmed(v.idNumber) ? foldCode(v.idNumber ?? '') : undefined);
    }
    if (type === 'floating') for (const f of FLOATING_FIELDS) set(f, dateString(v[f]));
    set('phone', trimmed(v.phone));
    set('ethnicity', trimmed(v.ethnicity));
    set('hukouAddress', trimmed(v.hukouAddress));
    if (v.withResidence && v.residence?.addressId) {
      body.residence = {
        addressId: v.residence.addressId,
        relation: v.residence.relation as Relation,
        fromDate: dateString(v.residence.fromDate) ?? dayjs().format('YYYY-MM-DD'),
      };
    } else set('orgUnitId', v.orgUnitId);
    return body;
  };

  /** Only what changed; a field the new type no longer has is cleared. */
  const patchBody = (p: Person, v: Values): PersonPatchBody => {
    const body: PersonPatchBody = {};
    const type = v.personType;
    if (type !== p.personType) body.personType = type;
    const name = v.name.trim();
    if (name !== p.name) body.name = name;
    const text = (key: 'phone' | 'ethnicity' | 'hukouAddress' | 'nationality', value: string | undefined) => {
      const next = trimmed(value) ?? null;
      if (next !== (p[key] ?? null)) body[key] = next;
    };
    text('phone', v.phone);
    text('ethnicity', v.ethnicity);
    text('hukouAddress', v.hukouAddress);
    if (type === 'overseas') {
      text('nationality', v.nationality);
      // the passport number is shown masked: an empty field keeps it
      if (trimmed(v.passportNo)) body.passportNo = foldCode(v.passportNo ?? '');
      const expiry = dateString(v.passportExpiry) ?? null;
      if (expiry !== (p.passportExpiry ?? null)) body.passportExpiry = expiry;
    } else {
      if (p.nationality) body.nationality = null;
      if (p.passportNo) body.passportNo = null;
      if (p.passportExpiry) body.passportExpiry = null;
      // the identity number is shown masked: an empty field keeps it
      if (trimmed(v.idNumber)) body.idNumber = foldCode(v.idNumber ?? '');
    }
    for (const f of FLOATING_FIELDS) {
      const next = type === 'floating' ? (dateString(v[f]) ?? null) : null;
      if (next !== (p[f] ?? null)) body[f] = next;
    }
    if (mode.type === 'edit' && !mode.hasCurrentResidence && v.orgUnitId && v.orgUnitId !== p.orgUnit?.id) body.orgUnitId = v.orgUnitId;
    return body;
  };

  const save = useMutation({
    mutationFn: async (v: Values): Promise<Person | null> => {
      if (!editing) return registerPerson(createBody(v));
      const body = patchBody(editing, v);
      if (Object.keys(body).length === 0) return null;
      return api.patch<Person>(`/persons/${editing.id}`, body);
    },
    onSuccess: (saved) => {
      if (!saved) {
        message.info(t('registry.personForm.unchanged'));
        onClose();
        return;
      }
      message.success(editing ? t('common.saved') : t('registry.personForm.created', { name: saved.name }));
      void qc.invalidateQueries({ queryKey: personKeys.all });
      void qc.invalidateQueries({ queryKey: ['registry', 'residents'] });
      onSaved(saved);
    },
    onError: (err) => {
      setError(err);
      applyProblemFields(form, err, FIELDS);
    },
  });

  const fieldLabels: Record<string, string> = {
    personType: t('registry.person.type'),
    name: t('registry.residents.name'),
    idNumber: t('registry.residents.idNumber'),
    phone: t('registry.person.phone'),
    ethnicity: t('registry.person.ethnicity'),
    hukouAddress: t('registry.person.hukou'),
    nationality: t('registry.person.nationality'),
    passportNo: t('registry.personForm.passportNo'),
    passportExpiry: t('registry.personForm.passportExpiry'),
    floatingRegisteredOn: t('registry.personForm.floatingRegisteredOn'),
    expectedStayUntil: t('registry.personForm.expectedStayUntil'),
    permitIssuedOn: t('registry.personForm.permitIssuedOn'),
    orgUnitId: t('registry.person.unit'),
    clientId: t('registry.personForm.submission'),
    residence: t('registry.personForm.residence'),
    'residence.addressId': t('registry.personForm.residenceAddress'),
    'residence.relation': t('registry.residents.relation'),
    'residence.fromDate': t('registry.personForm.fromDate'),
  };
  const existingId = existingPersonIdOf(error);
  const hasId = !!editing && editing.idKind === 'resident_id';
  const canPickUnit = can('org.read') && (!editing || (mode.type === 'edit' && !mode.hasCurrentResidence));

  return (
    <FormDrawer
      title={editing ? t('registry.personForm.editTitle', { name: editing.name }) : t('registry.personForm.createTitle')}
      onSubmit={() => form.submit()}
      onClose={onClose}
      saving={save.isPending}
      submitText={editing ? t('common.save') : t('registry.personForm.submit')}
      data-testid="person-form"
    >
      {error ? <ProblemAlert error={error} fieldLabels={fieldLabels} style={{ marginBottom: 16 }} /> : null}
      {existingId ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('registry.personForm.duplicate')}
          action={
            <Link to={`/registry/persons/${existingId}`} onClick={onClose} data-testid="existing-person">
              {t('registry.personForm.openExisting')}
            </Link>
          }
        />
      ) : null}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        scrollToFirstError
        onFinish={(v) => {
          setError(null);
          save.mutate(v);
        }}
      >
        <Form.Item name="personType" label={t('registry.person.type')} rules={[{ required: true, message: t('validation.required') }]}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            data-testid="person-type"
            options={PERSON_TYPES.map((v) => ({
              value: v,
              label: tx(`registry.personType.${v}`, v),
              // an identity number cannot be removed, so a person who has one stays a 户籍/流动 person
              disabled: v === 'overseas' && hasId,
            }))}
          />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="name"
              label={t('registry.residents.name')}
              rules={[
                { required: true, whitespace: true, message: t('registry.personForm.nameRequired') },
                { max: 64, message: t('validation.maxLength', { max: 64 }) },
              ]}
            >
              <Input maxLength={64} autoComplete="off" data-testid="person-name" />
            </Form.Item>
          </Col>
          {personType === 'overseas' ? (
            <>
              <Col xs={24} sm={12}>
                <Form.Item
                  name="nationality"
                  label={t('registry.person.nationality')}
                  rules={[
                    { required: true, whitespace: true, message: t('registry.personForm.nationalityRequired') },
                    { max: 64, message: t('validation.maxLength', { max: 64 }) },
                  ]}
                >
                  <Input maxLength={64} placeholder={t('registry.personForm.nationalityPlaceholder')} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item
                  name="passportNo"
                  label={t('registry.personForm.passportNo')}
                  extra={editing?.passportNo ? t('registry.personForm.keepMasked') : undefined}
                  rules={[
                    { required: !editing?.passportNo, whitespace: true, message: t('registry.personForm.passportRequired') },
                    { pattern: /^[A-Za-z0-9\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]{5,20}$/, message: t('registry.personForm.passportPattern') },
                  ]}
                >
                  <Input maxLength={20} className="fq-mono" autoComplete="off" placeholder={editing?.passportNo ?? undefined} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="passportExpiry" label={t('registry.personForm.passportExpiry')}>
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </>
          ) : (
            <Col xs={24} sm={12}>
              <Form.Item
                name="idNumber"
                label={t('registry.residents.idNumber')}
                validateTrigger={['onChange', 'onBlur']}
                rules={idNumberRules(t, !hasId)}
                extra={
                  hasId && !idValue ? (
                    <span style={{ fontSize: 12 }}>{t('registry.personForm.keepMasked')}</span>
                  ) : (
                    <IdNumberHint value={idValue} />
                  )
                }
              >
                <Input maxLength={18} className="fq-mono" autoComplete="off" inputMode="text" placeholder={hasId ? (editing?.idNumber ?? undefined) : undefined} data-testid="person-id" />
              </Form.Item>
            </Col>
          )}
          <Col xs={24} sm={12}>
            <Form.Item name="phone" label={t('registry.person.phone')} rules={[{ pattern: PERSON_PHONE_PATTERN, message: t('validation.personPhone') }]}>
              <Input maxLength={20} inputMode="tel" autoComplete="off" data-testid="person-phone" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="ethnicity" label={t('registry.person.ethnicity')} rules={[{ max: 16, message: t('validation.maxLength', { max: 16 }) }]}>
              <AutoComplete
                allowClear
                options={ETHNICITIES.map((e) => ({ value: e }))}
                showSearch={{ filterOption: (input, option) => String(option?.value ?? '').includes(input) }}
                placeholder={t('registry.personForm.ethnicityPlaceholder')}
              />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="hukouAddress" label={t('registry.person.hukou')} rules={[{ max: 200, message: t('validation.maxLength', { max: 200 }) }]}>
              <Input maxLength={200} placeholder={t('registry.personForm.hukouPlaceholder')} />
            </Form.Item>
          </Col>
        </Row>

        {personType === 'floating' ? (
          <>
            <Divider titlePlacement="start" plain>
              {t('registry.personForm.floatingSection')}
            </Divider>
            <Row gutter={16}>
              <Col xs={24} sm={8}>
                <Form.Item name="floatingRegisteredOn" label={t('registry.personForm.floatingRegisteredOn')}>
                  <DatePicker style={{ width: '100%' }} disabledDate={notAfterToday} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item
                  name="expectedStayUntil"
                  label={t('registry.personForm.expectedStayUntil')}
                  dependencies={['floatingRegisteredOn']}
                  rules={[
                    ({ getFieldValue }) => ({
                      validator: async (_r, value: Dayjs | null | undefined) => {
                        const from = getFieldValue('floatingRegisteredOn') as Dayjs | null | undefined;
                        if (value && from && value.isBefore(from, 'day')) throw new Error(t('registry.personForm.stayBeforeRegistered'));
                      },
                    }),
                  ]}
                >
                  <DatePicker style={{ width: '100%' }} disabledDate={(d) => !!floatingFrom && d.isBefore(floatingFrom, 'day')} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name="permitIssuedOn" label={t('registry.personForm.permitIssuedOn')} extra={t('registry.personForm.permitHint')}>
                  <DatePicker style={{ width: '100%' }} disabledDate={notAfterToday} />
                </Form.Item>
              </Col>
            </Row>
          </>
        ) : null}

        {!editing ? (
          <>
            <Divider titlePlacement="start" plain>
              {t('registry.personForm.residence')}
            </Divider>
            <Form.Item name="withResidence" valuePropName="checked" style={{ marginBottom: 12 }}>
              <Switch checkedChildren={t('registry.personForm.withResidence')} unCheckedChildren={t('registry.personForm.withoutResidence')} data-testid="with-residence" />
            </Form.Item>
            {withResidence ? (
              <Row gutter={16}>
                <Col xs={24}>
                  <Form.Item
                    name={['residence', 'addressId']}
                    label={t('registry.personForm.residenceAddress')}
                    rules={[{ required: true, message: t('registry.personForm.addressRequired') }]}
                  >
                    <AddressPicker hint={t('registry.personForm.residenceHint')} levels={DWELLING_LEVELS} data-testid="residence-address" />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item name={['residence', 'relation']} label={t('registry.residents.relation')} rules={[{ required: true, message: t('registry.personForm.relationRequired') }]}>
                    <Select
                      placeholder={t('registry.personForm.relationPlaceholder')}
                      options={RELATIONS.map((r) => ({ value: r, label: tx(`registry.relation.${r}`, r) }))}
                      data-testid="residence-relation"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item name={['residence', 'fromDate']} label={t('registry.personForm.fromDate')} rules={[{ required: true, message: t('validation.required') }]}>
                    <DatePicker style={{ width: '100%' }} disabledDate={notAfterToday} allowClear={false} />
                  </Form.Item>
                </Col>
              </Row>
            ) : (
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                {t('registry.personForm.noResidenceHint')}
              </Typography.Paragraph>
            )}
          </>
        ) : null}

        {canPickUnit && (!withResidence || editing) ? (
          <Form.Item name="orgUnitId" label={t('registry.person.unit')} extra={editing ? undefined : t('registry.personForm.unitHint')}>
            <OrgUnitSelect allowClear={!editing} />
          </Form.Item>
        ) : null}
      </Form>
    </FormDrawer>
  );
}

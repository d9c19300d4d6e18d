import { useState } from 'react';
import { App, Col, Divider, Form, Input, Radio, Row, Select } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../../shared/api';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { useAuth } from '../../../auth/AuthProvider';
import { AddressPicker } from '../../../components/AddressPicker';
import { FormDrawer } from '../../../components/FormDrawer';
import { OrgUnitSelect } from '../../../components/OrgUnitSelect';
import { PersonPicker } from '../../../components/PersonPicker';
import { CreditCodeHint, creditCodeRules, unitTypeOfCreditCode } from '../../../components/codeFields';
import { applyProblemFields, type FieldPath } from '../../../components/formErrors';
import { checkCreditCode, foldCode } from '../../../components/idChecks';
import { PERSON_PHONE_PATTERN } from '../../../components/validation';
import { KEY_INDUSTRIES, UNIT_TYPES, unitKeys } from '../../../data/units';
import type { KeyIndustry, Unit, UnitBody, UnitDetail, UnitState, UnitType } from '../../../data/units';

interface Values {
  regKind: 'credit' | 'other';
  creditCode?: string;
  otherRegNo?: string;
  name: string;
  unitType?: UnitType;
  keyIndustry?: KeyIndustry | null;
  addressId?: string | null;
  legalRepName?: string;
  legalRepPersonId?: string | null;
  contactName?: string;
  contactPhone?: string;
  orgUnitId?: string;
  status?: UnitState;
}

const FIELDS: Record<string, FieldPath> = {
  creditCode: 'creditCode',
  otherRegNo: 'otherRegNo',
  name: 'name',
  unitType: 'unitType',
  keyIndustry: 'keyIndustry',
  addressId: 'addressId',
  legalRepName: 'legalRepName',
  legalRepPersonId: 'legalRepPersonId',
  contactName: 'contactName',
  contactPhone: 'contactPhone',
  orgUnitId: 'orgUnitId',
  status: 'status',
};

const trimmed = (v: string | undefined | null) => v?.trim() || undefined;

/** Register a unit (登记单位) or change one. */
export function UnitFormDrawer({ unit, onClose, onSaved }: { unit?: UnitDetail; onClose: () => void; onSaved: (u: Unit) => void }) {
  const { t, tx } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const regKind = Form.useWatch('regKind', form) ?? (unit && !unit.creditCode && unit.otherRegNo ? 'other' : 'credit');
  const creditCode = Form.useWatch('creditCode', form);
  const addressId = Form.useWatch('addressId', form);
  const unitType = Form.useWatch('unitType', form);

  const initialValues: Partial<Values> = unit
    ? {
        regKind: !unit.creditCode && unit.otherRegNo ? 'other' : 'credit',
        creditCode: unit.creditCode ?? undefined,
        otherRegNo: unit.otherRegNo ?? undefined,
        name: unit.name,
        unitType: unit.unitType,
        keyIndustry: unit.keyIndustry,
        addressId: unit.address?.id ?? null,
        legalRepName: unit.legalRepName ?? undefined,
        legalRepPersonId: unit.legalRep?.personId ?? null,
        contactName: unit.contactName ?? undefined,
        contactPhone: unit.contactPhone ?? undefined,
        orgUnitId: unit.orgUnit?.id,
        status: unit.status,
      }
    : { regKind: 'credit', keyIndustry: null, addressId: null, legalRepPersonId: null };

  const createBody = (v: Values): UnitBody => {
    const body: UnitBody = { name: v.name.trim() };
    if (v.regKind === 'credit') body.creditCode = foldCode(v.creditCode ?? '');
    else body.otherRegNo = v.otherRegNo?.trim();
    if (v.unitType) body.unitType = v.unitType;
    if (v.keyIndustry) body.keyIndustry = v.keyIndustry;
    if (v.addressId) body.addressId = v.addressId;
    else if (v.orgUnitId) body.orgUnitId = v.orgUnitId;
    if (v.legalRepPersonId) body.legalRepPersonId = v.legalRepPersonId;
    if (trimmed(v.legalRepName)) body.legalRepName = trimmed(v.legalRepName);
    if (trimmed(v.contactName)) body.contactName = trimmed(v.contactName);
    if (trimmed(v.contactPhone)) body.contactPhone = trimmed(v.contactPhone);
    return body;
  };

  /** Only what changed; an emptied field is cleared with `null`. */
  const patchBody = (u: UnitDetail, v: Values): UnitBody => {
    const body: UnitBody = {};
    const credit = v.regKind === 'credit' ? foldCode(v.creditCode ?? '') || null : null;
    const other = v.regKind === 'other' ? trimmed(v.otherRegNo) ?? null : null;
    if (credit !== (u.creditCode ?? null)) body.creditCode = credit;
    if (other !== (u.otherRegNo ?? null)) body.otherRegNo = other;
    const name = v.name.trim();
    if (name !== u.name) body.name = name;
    if (v.unitType && v.unitType !== u.unitType) body.unitType = v.unitType;
    if ((v.keyIndustry ?? null) !== (u.keyIndustry ?? null)) body.keyIndustry = v.keyIndustry ?? null;
    if ((v.addressId ?? null) !== (u.address?.id ?? null)) body.addressId = v.addressId ?? null;
    if ((v.legalRepPersonId ?? null) !== (u.legalRep?.personId ?? null)) body.legalRepPersonId = v.legalRepPersonId ?? null;
    const text = (key: 'legalRepName' | 'contactName' | 'contactPhone', value: string | undefined) => {
      const next = trimmed(value) ?? null;
      if (next !== (u[key] ?? null)) body[key] = next;
    };
    text('legalRepName', v.legalRepName);
    text('contactName', v.contactName);
    text('contactPhone', v.contactPhone);
    if (!v.addressId && v.orgUnitId && v.orgUnitId !== u.orgUnit?.id) body.orgUnitId = v.orgUnitId;
    if (v.status && v.status !== u.status) body.status = v.status;
    return body;
  };

  const save = useMutation({
    mutationFn: async (v: Values): Promise<Unit | null> => {
      if (!unit) return api.post<Unit>('/units', createBody(v));
      const body = patchBody(unit, v);
      if (Object.keys(body).length === 0) return null;
      return api.patch<Unit>(`/units/${unit.id}`, body);
    },
    onSuccess: (saved) => {
      if (!saved) {
        message.info(t('registry.personForm.unchanged'));
        onClose();
        return;
      }
      message.success(unit ? t('common.saved') : t('registry.unitForm.created', { name: saved.name }));
      void qc.invalidateQueries({ queryKey: unitKeys.all });
      // a person's page lists their employers' names and addresses
      void qc.invalidateQueries({ queryKey: ['registry', 'persons', 'page'] });
      onSaved(saved);
    },
    onError: (err) => {
      setError(err);
      applyProblemFields(form, err, FIELDS);
    },
  });

  const fieldLabels: Record<string, string> = {
    creditCode: t('registry.unitForm.creditCode'),
    otherRegNo: t('registry.unitForm.otherRegNo'),
    name: t('registry.units.name'),
    unitType: t('registry.units.type'),
    keyIndustry: t('registry.units.keyIndustry'),
    addressId: t('registry.units.address'),
    legalRepName: t('registry.units.legalRep'),
    legalRepPersonId: t('registry.unitForm.legalRepPerson'),
    contactName: t('registry.units.contact'),
    contactPhone: t('registry.unitForm.contactPhone'),
    orgUnitId: t('registry.person.unit'),
    status: t('registry.address.status'),
  };
  const impliedType = regKind === 'credit' && creditCode && checkCreditCode(creditCode).ok ? unitTypeOfCreditCode(creditCode) : null;

  return (
    <FormDrawer
      title={unit ? t('registry.unitForm.editTitle', { name: unit.name }) : t('registry.unitForm.createTitle')}
      onSubmit={() => form.submit()}
      onClose={onClose}
      saving={save.isPending}
      submitText={unit ? t('common.save') : t('registry.unitForm.submit')}
      data-testid="unit-form"
    >
      {error ? <ProblemAlert error={error} fieldLabels={fieldLabels} style={{ marginBottom: 16 }} /> : null}
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
        <Form.Item name="regKind" label={t('registry.unitForm.regKind')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: 'credit', label: t('registry.unitForm.regKind.credit') },
              { value: 'other', label: t('registry.unitForm.regKind.other') },
            ]}
          />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            {regKind === 'credit' ? (
              <Form.Item
                name="creditCode"
                label={t('registry.unitForm.creditCode')}
                validateTrigger={['onChange', 'onBlur']}
                rules={[{ required: true, whitespace: true, message: t('registry.unitForm.creditRequired') }, ...creditCodeRules(t)]}
                extra={<CreditCodeHint value={creditCode} />}
              >
                <Input maxLength={18} className="fq-mono" autoComplete="off" data-testid="unit-credit" />
              </Form.Item>
            ) : (
              <Form.Item
                name="otherRegNo"
                label={t('registry.unitForm.otherRegNo')}
                extra={t('registry.unitForm.otherRegNoHint')}
                rules={[
                  { required: true, whitespace: true, message: t('registry.unitForm.otherRequired') },
                  { min: 4, message: t('validation.minLength', { min: 4 }) },
                  { max: 64, message: t('validation.maxLength', { max: 64 }) },
                ]}
              >
                <Input maxLength={64} autoComplete="off" data-testid="unit-other-reg" />
              </Form.Item>
            )}
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="name"
              label={t('registry.units.name')}
              rules={[
                { required: true, whitespace: true, message: t('registry.unitForm.nameRequired') },
                { max: 100, message: t('validation.maxLength', { max: 100 }) },
              ]}
            >
              <Input maxLength={100} autoComplete="off" data-testid="unit-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="unitType"
              label={t('registry.units.type')}
              extra={!unitType && impliedType ? t('registry.unitForm.typeImplied', { type: tx(`registry.unitType.${impliedType}`, impliedType) }) : undefined}
            >
              <Select
                allowClear
                placeholder={t('registry.unitForm.typePlaceholder')}
                options={UNIT_TYPES.map((v) => ({ value: v, label: tx(`registry.unitType.${v}`, v) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="keyIndustry" label={t('registry.units.keyIndustry')}>
              <Select
                allowClear
                placeholder={t('registry.unitForm.keyIndustryNone')}
                options={KEY_INDUSTRIES.map((v) => ({ value: v, label: tx(`registry.keyIndustry.${v}`, v) }))}
                data-testid="unit-industry"
              />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="addressId" label={t('registry.units.address')}>
              <AddressPicker hint={t('registry.unitForm.addressHint')} initial={unit?.address ?? null} data-testid="unit-address" />
            </Form.Item>
          </Col>
          {!addressId && can('org.read') ? (
            <Col xs={24}>
              <Form.Item name="orgUnitId" label={t('registry.person.unit')} extra={t('registry.unitForm.unitHint')}>
                <OrgUnitSelect />
              </Form.Item>
            </Col>
          ) : null}
        </Row>
        <Divider titlePlacement="start" plain>
          {t('registry.unitForm.people')}
        </Divider>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="legalRepName" label={t('registry.units.legalRep')} rules={[{ max: 64, message: t('validation.maxLength', { max: 64 }) }]}>
              <Input maxLength={64} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="legalRepPersonId" label={t('registry.unitForm.legalRepPerson')} extra={t('registry.unitForm.legalRepPersonHint')}>
              <PersonPicker
                initial={unit?.legalRep ? { id: unit.legalRep.personId, name: unit.legalRep.name, idNumber: unit.legalRep.idNumber } : null}
                onChange={(_id, person) => {
                  if (person && !trimmed(form.getFieldValue('legalRepName') as string | undefined)) form.setFieldValue('legalRepName', person.name);
                }}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="contactName" label={t('registry.units.contact')} rules={[{ max: 64, message: t('validation.maxLength', { max: 64 }) }]}>
              <Input maxLength={64} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="contactPhone" label={t('registry.unitForm.contactPhone')} rules={[{ pattern: PERSON_PHONE_PATTERN, message: t('validation.personPhone') }]}>
              <Input maxLength={20} inputMode="tel" autoComplete="off" />
            </Form.Item>
          </Col>
          {unit ? (
            <Col xs={24}>
              <Form.Item name="status" label={t('registry.address.status')}>
                <Radio.Group
                  options={[
                    { value: 'active', label: t('registry.unitStatus.active') },
                    { value: 'closed', label: t('registry.unitStatus.closed') },
                  ]}
                />
              </Form.Item>
            </Col>
          ) : null}
        </Row>
      </Form>
    </FormDrawer>
  );
}

import { useState } from 'react';
import { Checkbox, Col, DatePicker, Form, Input, InputNumber, Modal, Rate, Row, Select } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { api } from '../../../../shared/api';
import { useI18n } from '../../../../shared/i18n';
import type { Page } from '../../../../shared/types';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { HOUSING_USES, PROPERTY_TYPES, RENTAL_REGISTRATIONS } from '../../../data/registry';
import type { Housing, HousingUse, PersonHit, PersonRef, PropertyType, RentalRegistration } from '../../../data/registry';

interface Fields {
  use: HousingUse;
  propertyType: PropertyType;
  ownerPersonId?: string | null;
  ownerName?: string | null;
  ownerPhone?: string | null;
  areaM2?: number | null;
  rooms?: number | null;
  starRating?: number | null;
  groupRental?: boolean;
  landlordPersonId?: string | null;
  lease?: [Dayjs, Dayjs] | null;
  rentalRegistration?: RentalRegistration;
}

/** Picks a registered person of the jurisdiction by name, ID number or phone (masked hits). */
function PersonSelect({ value, onChange, initial }: { value?: string | null; onChange?: (v: string | null) => void; initial?: PersonRef | null }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const hits = useQuery({
    queryKey: ['registry', 'personPick', q],
    queryFn: () => api.get<Page<PersonHit>>('/persons', { q, pageSize: 10 }),
    enabled: q.trim().length >= 2,
  });
  const options = [
    ...(initial ? [{ value: initial.id, label: `${initial.name} ${initial.idNumber ?? ''}`.trim() }] : []),
    ...(hits.data?.items ?? [])
      .filter((p) => p.id !== initial?.id)
      .map((p) => ({ value: p.id, label: `${p.name} ${p.idNumber ?? ''}`.trim() })),
  ];
  return (
    <Select
      allowClear
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value ?? undefined}
      onChange={(v?: string) => onChange?.(v ?? null)}
      options={options}
      loading={hits.isFetching}
      placeholder={t('registry.housing.personSearch')}
      notFoundContent={q.trim().length >= 2 ? t('common.noMatch') : null}
    />
  );
}

interface Props {
  addressId: string;
  housing: Housing | null;
  onClose: () => void;
  onDone: () => void;
}

export function HousingModal({ addressId, housing, onClose, onDone }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<Fields>();
  const use = Form.useWatch('use', form);
  const mutation = useMutation({
    mutationFn: (v: Fields) => {
      const rent = v.use === 'rent';
      return api.put(`/addresses/${addressId}/housing`, {
        use: v.use,
        propertyType: v.propertyType,
        ownerPersonId: v.ownerPersonId ?? null,
        ownerName: v.ownerName?.trim() || null,
        ownerPhone: v.ownerPhone?.trim() || null,
        areaM2: v.areaM2 ?? null,
        rooms: v.rooms ?? null,
        starRating: v.starRating || null,
        ...(rent
          ? {
              groupRental: !!v.groupRental,
              landlordPersonId: v.landlordPersonId ?? null,
              leaseFrom: v.lease?.[0]?.format('YYYY-MM-DD') ?? null,
              leaseTo: v.lease?.[1]?.format('YYYY-MM-DD') ?? null,
              rentalRegistration: v.rentalRegistration,
            }
          : {}),
      });
    },
    onSuccess: onDone,
  });
  const h = housing;
  return (
    <Modal
      open
      width={640}
      title={h ? t('registry.housing.edit') : t('registry.housing.create')}
      okText={t('common.save')}
      onOk={() => form.submit()}
      confirmLoading={mutation.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      {mutation.error ? (
        <ProblemAlert
          error={mutation.error}
          style={{ marginBottom: 16 }}
          fieldLabels={{
            use: t('registry.housing.use'),
            landlordPersonId: t('registry.housing.landlord'),
            leaseFrom: t('registry.housing.leaseFrom'),
            leaseTo: t('registry.housing.leaseTo'),
            ownerPersonId: t('registry.housing.owner'),
            ownerPhone: t('registry.housing.ownerPhone'),
            rentalRegistration: t('registry.housing.rentalRegistration'),
            groupRental: t('registry.housing.groupRental'),
          }}
        />
      ) : null}
      <Form<Fields>
        form={form}
        layout="vertical"
        onFinish={(v) => mutation.mutate(v)}
        initialValues={{
          use: h?.use ?? 'self',
          propertyType: h?.propertyType ?? 'commercial',
          ownerPersonId: h?.owner.person?.id ?? null,
          ownerName: h?.owner.name,
          ownerPhone: h?.owner.phone,
          areaM2: h?.areaM2,
          rooms: h?.rooms,
          starRating: h?.starRating,
          groupRental: h?.groupRental ?? false,
          landlordPersonId: h?.landlord?.id ?? null,
          lease: h?.leaseFrom && h.leaseTo ? [dayjs(h.leaseFrom), dayjs(h.leaseTo)] : null,
          rentalRegistration: h?.rentalRegistration ?? 'unregistered',
        }}
      >
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="use" label={t('registry.housing.use')} rules={[{ required: true }]}>
              <Select options={HOUSING_USES.map((u) => ({ value: u, label: t(`registry.housing.use.${u}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="propertyType" label={t('registry.housing.propertyType')}>
              <Select options={PROPERTY_TYPES.map((p) => ({ value: p, label: t(`registry.housing.property.${p}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="ownerPersonId" label={t('registry.housing.owner')}>
              <PersonSelect initial={h?.owner.person} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="ownerName" label={t('registry.housing.ownerName')}>
              <Input maxLength={64} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="ownerPhone" label={t('registry.housing.ownerPhone')}>
              <Input maxLength={20} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="areaM2" label={t('registry.housing.area')}>
              <InputNumber min={0.1} max={100000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="rooms" label={t('registry.housing.rooms')}>
              <InputNumber min={0} max={1000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="starRating" label={t('registry.housing.star')}>
              <Rate />
            </Form.Item>
          </Col>
          {use === 'rent' ? (
            <>
              <Col xs={24} sm={12}>
                <Form.Item name="landlordPersonId" label={t('registry.housing.landlord')} rules={[{ required: true, message: t('registry.housing.landlordRequired') }]}>
                  <PersonSelect initial={h?.landlord} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="lease" label={t('registry.housing.lease')} rules={[{ required: true, message: t('registry.housing.leaseRequired') }]}>
                  <DatePicker.RangePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="rentalRegistration" label={t('registry.housing.rentalRegistration')}>
                  <Select options={RENTAL_REGISTRATIONS.map((r) => ({ value: r, label: t(`registry.housing.rentalReg.${r}`) }))} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="groupRental" valuePropName="checked" label=" ">
                  <Checkbox>{t('registry.housing.groupRental')}</Checkbox>
                </Form.Item>
              </Col>
            </>
          ) : null}
        </Row>
      </Form>
    </Modal>
  );
}

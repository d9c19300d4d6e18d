import { useState } from 'react';
import { Alert, Form, Input, InputNumber, Modal, Radio, Space, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../../shared/api';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import type { Address, AddressDetail, AddressLevel, Plate, PlateSize } from '../../../data/registry';
import { PLATE_SIZES, PRINT_BATCH, printUrls } from '../../../data/registry';

interface AddChildProps {
  open: boolean;
  /** The parent address, or null for a top-level element under the grid. */
  parent: AddressDetail | null;
  gridId?: string;
  levels: readonly AddressLevel[];
  onClose: () => void;
  onDone: (created: AddressDetail) => void;
}

interface AddFields {
  level: AddressLevel;
  name: string;
  lng?: number | null;
  lat?: number | null;
}

/** Adds a child element (or a road/village under the grid). */
export function AddChildModal({ open, parent, gridId, levels, onClose, onDone }: AddChildProps) {
  const { t, tx } = useI18n();
  const [form] = Form.useForm<AddFields>();
  const mutation = useMutation({
    mutationFn: (v: AddFields) =>
      api.post<AddressDetail>('/addresses', {
        ...(parent ? { parentId: parent.id } : { gridId }),
        level: v.level,
        name: v.name.trim(),
        ...(v.lng != null && v.lat != null ? { lng: v.lng, lat: v.lat } : {}),
      }),
    onSuccess: (created) => {
      form.resetFields();
      onDone(created);
    },
  });
  return (
    <Modal
      open={open}
      title={parent ? t('registry.address.addChildTo', { name: parent.name }) : t('registry.address.addTop')}
      okText={t('common.save')}
      onOk={() => form.submit()}
      confirmLoading={mutation.isPending}
      onCancel={() => {
        mutation.reset();
        onClose();
      }}
      destroyOnHidden
    >
      {mutation.error ? <ProblemAlert error={mutation.error} style={{ marginBottom: 16 }} fieldLabels={{ name: t('registry.address.name'), parentId: t('registry.address.parent'), level: t('registry.address.level') }} /> : null}
      <Form<AddFields>
        form={form}
        layout="vertical"
        initialValues={{ level: levels[0] }}
        onFinish={(v) => mutation.mutate(v)}
      >
        <Form.Item name="level" label={t('registry.address.level')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={levels.map((l) => ({ value: l, label: tx(`registry.level.${l}`, l) }))}
          />
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(a, b) => a.level !== b.level}>
          {({ getFieldValue }) => (
            <Form.Item
              name="name"
              label={t('registry.address.name')}
              extra={tx(`registry.level.hint.${getFieldValue('level') as string}`, '')}
              rules={[{ required: true, whitespace: true, message: t('registry.address.nameRequired') }, { max: 40 }]}
            >
              <Input maxLength={40} autoFocus />
            </Form.Item>
          )}
        </Form.Item>
        <CoordinateFields />
      </Form>
    </Modal>
  );
}

function CoordinateFields() {
  const { t } = useI18n();
  return (
    <Space.Compact block>
      <Form.Item name="lng" label={t('registry.address.lng')} style={{ flex: 1, marginInlineEnd: 8 }}>
        <InputNumber min={73} max={136} step={0.000001} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item
        name="lat"
        label={t('registry.address.lat')}
        style={{ flex: 1 }}
        dependencies={['lng']}
        rules={[
          ({ getFieldValue }) => ({
            validator: (_, value) =>
              (value == null) === (getFieldValue('lng') == null)
                ? Promise.resolve()
                : Promise.reject(new Error(t('registry.address.coordsTogether'))),
          }),
        ]}
      >
        <InputNumber min={3} max={54} step={0.000001} style={{ width: '100%' }} />
      </Form.Item>
    </Space.Compact>
  );
}

interface EditProps {
  open: boolean;
  address: AddressDetail;
  onClose: () => void;
  onDone: (updated: AddressDetail) => void;
}

/** Rename (the code stays) and correct the coordinates. */
export function EditAddressModal({ open, address, onClose, onDone }: EditProps) {
  const { t } = useI18n();
  const [form] = Form.useForm<AddFields>();
  const mutation = useMutation({
    mutationFn: (v: AddFields) => {
      const body: Record<string, unknown> = {};
      if (v.name.trim() !== address.name) body.name = v.name.trim();
      if (v.lng != null && v.lat != null && (v.lng !== address.lng || v.lat !== address.lat)) {
        body.lng = v.lng;
        body.lat = v.lat;
      }
      return api.patch<AddressDetail>(`/addresses/${address.id}`, body);
    },
    onSuccess: onDone,
  });
  return (
    <Modal
      open={open}
      title={t('registry.address.edit')}
      okText={t('common.save')}
      onOk={() => form.submit()}
      confirmLoading={mutation.isPending}
      onCancel={() => {
        mutation.reset();
        onClose();
      }}
      destroyOnHidden
    >
      <Alert type="info" showIcon title={t('registry.address.codeStays', { code: address.code })} style={{ marginBottom: 16 }} />
      {mutation.error ? <ProblemAlert error={mutation.error} style={{ marginBottom: 16 }} /> : null}
      <Form<AddFields>
        form={form}
        layout="vertical"
        initialValues={{ name: address.name, lng: address.lng, lat: address.lat }}
        onFinish={(v) => mutation.mutate(v)}
      >
        <Form.Item
          name="name"
          label={t('registry.address.name')}
          rules={[{ required: true, whitespace: true, message: t('registry.address.nameRequired') }, { max: 40 }]}
        >
          <Input maxLength={40} />
        </Form.Item>
        <CoordinateFields />
      </Form>
    </Modal>
  );
}

interface ReasonProps<T> {
  open: boolean;
  title: string;
  hint?: string;
  okText: string;
  danger?: boolean;
  /** Whether a reason must be given. */
  required: boolean;
  submit: (reason: string) => Promise<T>;
  onClose: () => void;
  onDone: (result: T) => void;
}

/** A confirmation that asks for a reason (status changes, plate reissue and revocation). */
export function ReasonModal<T>({ open, title, hint, okText, danger, required, submit, onClose, onDone }: ReasonProps<T>) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason?: string }>();
  const mutation = useMutation({ mutationFn: (reason: string) => submit(reason), onSuccess: onDone });
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ danger }}
      onOk={() => form.submit()}
      confirmLoading={mutation.isPending}
      onCancel={() => {
        mutation.reset();
        onClose();
      }}
      destroyOnHidden
    >
      {hint ? <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph> : null}
      {mutation.error ? <ProblemAlert error={mutation.error} style={{ marginBottom: 16 }} fieldLabels={{ reason: t('registry.reason') }} /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => mutation.mutate((v.reason ?? '').trim())}>
        <Form.Item
          name="reason"
          label={t('registry.reason')}
          rules={required ? [{ required: true, whitespace: true, min: 2, message: t('registry.reasonRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={200} showCount autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export const setAddressStatus = (id: string, status: 'active' | 'inactive', reason: string) =>
  api.post<AddressDetail>(`/addresses/${id}/status`, { status, reason });
export const issuePlate = (id: string, reason?: string) =>
  api.post<Plate>(`/addresses/${id}/plates`, reason ? { reason } : {});
export const revokePlate = (plateId: string, reason: string) => api.post<Plate>(`/plates/${plateId}/revoke`, { reason });

interface PrintProps {
  open: boolean;
  addresses: Pick<Address, 'id' | 'name'>[];
  onClose: () => void;
}

/** Choose a plate size, then open the print sheets (one tab per batch of PRINT_BATCH). */
export function PrintModal({ open, addresses, onClose }: PrintProps) {
  const { t } = useI18n();
  const [size, setSize] = useState<PlateSize>('medium');
  const urls = printUrls(
    addresses.map((a) => a.id),
    size,
  );
  return (
    <Modal
      open={open}
      title={t('registry.print.title')}
      okText={t('registry.print.open', { count: urls.length })}
      okButtonProps={{ disabled: addresses.length === 0 }}
      onOk={() => {
        for (const url of urls) window.open(url, '_blank', 'noopener');
        onClose();
      }}
      onCancel={onClose}
    >
      <Typography.Paragraph>{t('registry.print.count', { count: addresses.length })}</Typography.Paragraph>
      <Radio.Group
        value={size}
        onChange={(e) => setSize(e.target.value as PlateSize)}
        style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
        options={PLATE_SIZES.map((s) => ({ value: s, label: t(`registry.print.size.${s}`) }))}
      />
      <Alert
        style={{ marginTop: 16 }}
        type="info"
        showIcon
        title={t('registry.print.note')}
        description={urls.length > 1 ? t('registry.print.batches', { count: urls.length, batch: PRINT_BATCH }) : undefined}
      />
    </Modal>
  );
}

import { useState } from 'react';
import { App, Form, Input, Modal, Select } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api';
import type { GeoPolygon, OrgKind, OrgUnitDetail } from '../../../shared/types';
import { useI18n } from '../../../shared/i18n';
import { applyFieldErrors } from '../../../shared/errors';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { childKinds, codePrefix, expectedCodeLength } from '../../data/orgTree';
import { nameRules, phoneRules } from '../../components/validation';

export type OrgUnitFormMode = { type: 'create'; parent: OrgUnitDetail } | { type: 'edit'; unit: OrgUnitDetail };

interface Values {
  kind?: OrgKind;
  code?: string;
  name: string;
  contactPhone?: string;
  address?: string;
  boundary?: string;
}

const FIELDS = ['kind', 'code', 'name', 'contactPhone', 'address', 'boundary'] as const;

function parseBoundary(text: string | undefined): GeoPolygon | null {
  if (!text || !text.trim()) return null;
  const value = JSON.parse(text) as GeoPolygon;
  return value;
}

function ringsClosed(p: GeoPolygon): boolean {
  return p.coordinates.every((ring) => {
    const first = ring[0];
    const last = ring[ring.length - 1];
    return first[0] === last[0] && first[1] === last[1];
  });
}

function isPolygon(value: unknown): value is GeoPolygon {
  if (!value || typeof value !== 'object') return false;
  const v = value as { type?: unknown; coordinates?: unknown };
  return (
    v.type === 'Polygon' &&
    Array.isArray(v.coordinates) &&
    v.coordinates.length > 0 &&
    v.coordinates.every(
      (ring) =>
        Array.isArray(ring) &&
        ring.length >= 4 &&
        ring.every((p) => Array.isArray(p) && p.length >= 2 && p.every((n) => typeof n === 'number')),
    )
  );
}

function emptyToUndefined(v: string | undefined): string | undefined {
  const s = v?.trim();
  return s ? s : undefined;
}

export function OrgUnitFormModal({
  mode,
  onClose,
  onSaved,
}: {
  mode: OrgUnitFormMode;
  onClose: () => void;
  onSaved: (unit: OrgUnitDetail | undefined) => void;
}) {
  const { t, tx } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const editing = mode.type === 'edit' ? mode.unit : null;
  const parent = mode.type === 'create' ? mode.parent : null;
  const kinds = parent ? childKinds(parent.kind) : [];
  const codeLength = parent && kinds[0] ? expectedCodeLength(kinds[0], parent.code) : undefined;
  const prefix = parent && kinds[0] ? codePrefix(kinds[0], parent.code) : '';

  const initialValues: Partial<Values> = editing
    ? {
        name: editing.name,
        contactPhone: editing.contactPhone ?? undefined,
        address: editing.address ?? undefined,
        boundary: editing.boundary ? JSON.stringify(editing.boundary, null, 2) : undefined,
      }
    : { kind: kinds[0], code: prefix };

  const save = useMutation({
    mutationFn: async (values: Values) => {
      if (parent) {
        const body: Record<string, unknown> = {
          parentId: parent.id,
          kind: values.kind,
          code: values.code?.trim(),
          name: values.name.trim(),
        };
        const phone = emptyToUndefined(values.contactPhone);
        const address = emptyToUndefined(values.address);
        const boundary = parseBoundary(values.boundary);
        if (phone) body.contactPhone = phone;
        if (address) body.address = address;
        if (boundary) body.boundary = boundary;
        return api.post<OrgUnitDetail>('/org/units', body);
      }
      const unit = editing as OrgUnitDetail;
      const body: Record<string, unknown> = {};
      const name = values.name.trim();
      if (name !== unit.name) body.name = name;
      const phone = values.contactPhone?.trim() ?? '';
      if (phone !== (unit.contactPhone ?? '')) body.contactPhone = phone || null;
      const address = values.address?.trim() ?? '';
      if (address !== (unit.address ?? '')) body.address = address || null;
      const boundary = parseBoundary(values.boundary);
      if (JSON.stringify(boundary) !== JSON.stringify(unit.boundary ?? null)) body.boundary = boundary;
      if (Object.keys(body).length === 0) return unit;
      return api.patch<OrgUnitDetail>(`/org/units/${encodeURIComponent(unit.id)}`, body);
    },
    onSuccess: (saved) => {
      message.success(t(parent ? 'org.created' : 'common.saved'));
      void qc.invalidateQueries({ queryKey: ['org'] });
      onSaved(saved);
    },
    onError: (err) => {
      setError(err);
      applyFieldErrors(form, err, FIELDS);
    },
  });

  const fieldLabels = {
    kind: t('org.field.kind'),
    code: t('org.field.code'),
    name: t('org.field.name'),
    contactPhone: t('org.field.contactPhone'),
    address: t('org.field.address'),
    boundary: t('org.field.boundary'),
    parentId: t('org.field.parent'),
  };

  return (
    <Modal
      open
      title={parent ? t('org.addChild.title', { parent: parent.name }) : t('org.edit.title', { name: editing?.name ?? '' })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
      mask={{ closable: false }}
      width={600}
    >
      {error ? <ProblemAlert error={error} fieldLabels={fieldLabels} style={{ marginBottom: 16 }} /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) => {
          setError(null);
          save.mutate(values);
        }}
      >
        {parent ? (
          <>
            <Form.Item label={t('org.field.parent')}>
              <Input value={parent.name} disabled />
            </Form.Item>
            <Form.Item
              name="kind"
              label={t('org.field.kind')}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <Select options={kinds.map((k) => ({ value: k, label: tx(`org.kind.${k}`, k) }))} />
            </Form.Item>
            <Form.Item
              name="code"
              label={t('org.field.code')}
              extra={t('org.field.code.help', { prefix, length: codeLength ?? '' })}
              rules={[
                { required: true, whitespace: true, message: t('validation.required') },
                {
                  validator: async (_rule, value: string | undefined) => {
                    const code = value?.trim() ?? '';
                    if (!code) return;
                    if (!/^\d+$/.test(code)) throw new Error(t('org.field.code.digits'));
                    if (!code.startsWith(prefix) || code === parent.code || (codeLength && code.length !== codeLength)) {
                      throw new Error(t('org.field.code.shape', { prefix, length: codeLength ?? '' }));
                    }
                  },
                },
              ]}
            >
              <Input className="fq-mono" maxLength={24} inputMode="numeric" />
            </Form.Item>
          </>
        ) : null}
        <Form.Item
          name="name"
          label={t('org.field.name')}
          rules={nameRules(t)}
        >
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item
          name="contactPhone"
          label={t('org.field.contactPhone')}
          rules={phoneRules(t)}
        >
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item
          name="address"
          label={t('org.field.address')}
          rules={[{ max: 200, message: t('validation.maxLength', { max: 200 }) }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="boundary"
          label={t('org.field.boundary')}
          extra={t('org.field.boundary.help')}
          rules={[
            {
              validator: async (_rule, value: string | undefined) => {
                if (!value || !value.trim()) return;
                let parsed: unknown;
                try {
                  parsed = JSON.parse(value);
                } catch {
                  throw new Error(t('org.field.boundary.invalidJson'));
                }
                if (!isPolygon(parsed)) throw new Error(t('org.field.boundary.notPolygon'));
                if (!ringsClosed(parsed)) throw new Error(t('org.field.boundary.notClosed'));
              },
            },
          ]}
        >
          <Input.TextArea rows={4} className="fq-mono" placeholder={t('org.field.boundary.placeholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

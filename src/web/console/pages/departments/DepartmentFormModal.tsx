import { useState } from 'react';
import { App, Form, Input, Modal, Radio, Select } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api';
import type { Department, DepartmentKind, UnitStatus } from '../../../shared/types';
import { useI18n } from '../../../shared/i18n';
import { applyFieldErrors } from '../../../shared/errors';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { queryKeys } from '../../data/queries';
import { OrgUnitSelect } from '../../components/OrgUnitSelect';
import { nameRules, phoneRules } from '../../components/validation';
import { CategoryInput } from './CategoryInput';

export type DepartmentFormMode = { type: 'create' } | { type: 'edit'; department: Department };

interface Values {
  orgUnitId?: string;
  kind?: DepartmentKind;
  category?: string;
  name: string;
  contactPhone?: string;
  status?: UnitStatus;
}

const FIELDS = ['orgUnitId', 'kind', 'category', 'name', 'contactPhone', 'status'] as const;

export function DepartmentFormModal({ mode, onClose }: { mode: DepartmentFormMode; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const editing = mode.type === 'edit' ? mode.department : null;
  const kind = Form.useWatch('kind', form);

  const save = useMutation({
    mutationFn: async (values: Values) => {
      const phone = values.contactPhone?.trim() ?? '';
      if (!editing) {
        const body: Record<string, unknown> = {
          orgUnitId: values.orgUnitId,
          kind: values.kind,
          category: values.category?.trim(),
          name: values.name.trim(),
        };
        if (phone) body.contactPhone = phone;
        return api.post<Department>('/org/departments', body);
      }
      const body: Record<string, unknown> = {};
      if (values.name.trim() !== editing.name) body.name = values.name.trim();
      if (phone !== (editing.contactPhone ?? '')) body.contactPhone = phone || null;
      if (values.status && values.status !== editing.status) body.status = values.status;
      if (Object.keys(body).length === 0) return editing;
      return api.patch<Department>(`/org/departments/${encodeURIComponent(editing.id)}`, body);
    },
    onSuccess: () => {
      message.success(t(editing ? 'common.saved' : 'dept.created'));
      void qc.invalidateQueries({ queryKey: queryKeys.departments });
      onClose();
    },
    onError: (err) => {
      setError(err);
      applyFieldErrors(form, err, FIELDS);
    },
  });

  const fieldLabels = {
    orgUnitId: t('dept.field.orgUnit'),
    kind: t('dept.field.kind'),
    category: t('dept.field.category'),
    name: t('dept.field.name'),
    contactPhone: t('dept.field.contactPhone'),
    status: t('common.status'),
  };

  return (
    <Modal
      open
      title={editing ? t('dept.edit.title', { name: editing.name }) : t('dept.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
      mask={{ closable: false }}
      width={560}
    >
      {error ? <ProblemAlert error={error} fieldLabels={fieldLabels} style={{ marginBottom: 16 }} /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={
          editing
            ? { name: editing.name, contactPhone: editing.contactPhone ?? undefined, status: editing.status }
            : { kind: 'internal' }
        }
        onFinish={(values) => {
          setError(null);
          save.mutate(values);
        }}
      >
        {editing ? null : (
          <>
            <Form.Item
              name="orgUnitId"
              label={t('dept.field.orgUnit')}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <OrgUnitSelect disableInactive />
            </Form.Item>
            <Form.Item name="kind" label={t('dept.field.kind')} rules={[{ required: true, message: t('validation.required') }]}>
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                options={(['internal', 'partner'] as const).map((k) => ({ value: k, label: t(`dept.kind.${k}`) }))}
                onChange={() => form.setFieldValue('category', undefined)}
              />
            </Form.Item>
            <Form.Item
              name="category"
              label={t('dept.field.category')}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <CategoryInput kind={kind ?? 'internal'} />
            </Form.Item>
          </>
        )}
        <Form.Item
          name="name"
          label={t('dept.field.name')}
          rules={nameRules(t)}
        >
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item
          name="contactPhone"
          label={t('dept.field.contactPhone')}
          rules={phoneRules(t)}
        >
          <Input maxLength={32} />
        </Form.Item>
        {editing ? (
          <Form.Item name="status" label={t('common.status')}>
            <Select options={(['active', 'inactive'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

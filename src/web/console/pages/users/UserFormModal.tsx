import { useMemo, useState } from 'react';
import { App, Col, Form, Input, Modal, Row, Select, Skeleton, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api';
import type { UserDetail, UserStatus, UserSummary } from '../../../shared/types';
import { useI18n } from '../../../shared/i18n';
import { applyFieldErrors } from '../../../shared/errors';
import { departmentId } from '../../../shared/format';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useAuth } from '../../auth/AuthProvider';
import { queryKeys, useDepartments, useOrgTree, useRoles } from '../../data/queries';
import { flattenTree } from '../../data/orgTree';
import { OrgUnitSelect } from '../../components/OrgUnitSelect';
import { PERSON_PHONE_PATTERN, USERNAME_PATTERN, confirmRule, passwordRules } from '../../components/validation';
import { useLocalName } from '../../data/useLocalName';
import { StaffPhotoUpload } from './StaffPhotoUpload';

interface Values {
  username?: string;
  displayName: string;
  password?: string;
  confirm?: string;
  orgUnitId?: string;
  departmentId?: string | null;
  phone?: string;
  policeNo?: string;
  roles: string[];
  status?: UserStatus;
}

const FIELDS = ['username', 'displayName', 'password', 'orgUnitId', 'departmentId', 'phone', 'policeNo', 'roles', 'status'] as const;

/** 警号: 4–12 digits or letters (stored in capitals). */
const POLICE_NO_PATTERN = /^[0-9A-Za-z]{4,12}$/;

/** The user's detail with the 扫码服务 staff-card fields. */
type UserWithPoliceNo = UserDetail & { policeNo?: string | null; hasPhoto?: boolean };

/** Create a user (no `user`) or edit one. */
export function UserFormModal({ user, onClose }: { user?: UserSummary; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const editing = !!user;

  const detail = useQuery({
    queryKey: queryKeys.user(user?.id ?? ''),
    queryFn: () => api.get<UserWithPoliceNo>(`/users/${encodeURIComponent(user?.id ?? '')}`),
    enabled: editing,
    staleTime: 0,
  });
  const roles = useRoles(can('role.read'));
  const localName = useLocalName();
  const departments = useDepartments(can('org.read'));
  const tree = useOrgTree(can('org.read'));
  const units = useMemo(() => flattenTree(tree.data ?? []), [tree.data]);

  const orgUnitId = Form.useWatch('orgUnitId', form);
  // A user may belong to a department of their own unit or of any unit above it.
  const departmentOptions = useMemo(() => {
    const chain = new Set<string>();
    for (let id: string | null | undefined = orgUnitId; id; id = units.get(id)?.parentId) chain.add(id);
    return (departments.data ?? [])
      .filter((d) => chain.has(d.orgUnitId) && d.status === 'active')
      .map((d) => ({ value: d.id, label: `${d.name}${units.get(d.orgUnitId) ? ` · ${units.get(d.orgUnitId)?.name}` : ''}` }));
  }, [departments.data, orgUnitId, units]);

  const original = detail.data;
  const initialValues: Partial<Values> = original
    ? {
        displayName: original.displayName,
        orgUnitId: original.orgUnit?.id,
        departmentId: original.departmentId ?? departmentId(original.department) ?? undefined,
        phone: original.phone ?? undefined,
        policeNo: original.policeNo ?? undefined,
        roles: original.roles.map((r) => r.code),
        status: original.status,
      }
    : { roles: [] };

  const save = useMutation({
    mutationFn: async (v: Values) => {
      const phone = v.phone?.trim() ?? '';
      const policeNo = v.policeNo?.trim().toUpperCase() ?? '';
      if (!editing) {
        const body: Record<string, unknown> = {
          username: v.username?.trim().toLowerCase(),
          displayName: v.displayName.trim(),
          password: v.password,
          orgUnitId: v.orgUnitId,
          roles: v.roles ?? [],
        };
        if (v.departmentId) body.departmentId = v.departmentId;
        if (phone) body.phone = phone;
        if (policeNo) body.policeNo = policeNo;
        return api.post<UserDetail>('/users', body);
      }
      const o = original as UserWithPoliceNo;
      const body: Record<string, unknown> = {};
      if (v.displayName.trim() !== o.displayName) body.displayName = v.displayName.trim();
      if (phone !== (o.phone ?? '')) body.phone = phone || null;
      if (policeNo !== (o.policeNo ?? '')) body.policeNo = policeNo || null;
      if (v.orgUnitId && v.orgUnitId !== o.orgUnit?.id) body.orgUnitId = v.orgUnitId;
      const oldDept = o.departmentId ?? departmentId(o.department) ?? null;
      if ((v.departmentId ?? null) !== oldDept) body.departmentId = v.departmentId ?? null;
      const oldRoles = o.roles.map((r) => r.code).sort().join(',');
      if ([...(v.roles ?? [])].sort().join(',') !== oldRoles) body.roles = v.roles ?? [];
      if (v.status && v.status !== o.status) body.status = v.status;
      if (Object.keys(body).length === 0) return o;
      return api.patch<UserDetail>(`/users/${encodeURIComponent(o.id)}`, body);
    },
    onSuccess: () => {
      message.success(t(editing ? 'common.saved' : 'user.created'));
      void qc.invalidateQueries({ queryKey: ['users'] });
      onClose();
    },
    onError: (err) => {
      setError(err);
      applyFieldErrors(form, err, FIELDS);
    },
  });

  const fieldLabels = {
    username: t('user.field.username'),
    displayName: t('user.field.displayName'),
    password: t('user.field.password'),
    orgUnitId: t('user.field.orgUnit'),
    departmentId: t('user.field.department'),
    phone: t('user.field.phone'),
    policeNo: t('user.field.policeNo'),
    roles: t('user.field.roles'),
    status: t('common.status'),
  };
  const required = { required: true, message: t('validation.required') };

  return (
    <Modal
      open
      title={editing ? t('user.edit.title', { name: user.displayName }) : t('user.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ disabled: editing && !original, 'data-testid': 'user-form-submit' }}
      confirmLoading={save.isPending}
      destroyOnHidden
      mask={{ closable: false }}
      width={680}
    >
      {error ? <ProblemAlert error={error} fieldLabels={fieldLabels} style={{ marginBottom: 16 }} /> : null}
      {editing && detail.isError ? <ProblemAlert error={detail.error} style={{ marginBottom: 16 }} /> : null}
      {editing && detail.isPending ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : (
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={initialValues}
          onFinish={(values) => {
            setError(null);
            save.mutate(values);
          }}
        >
          <Row gutter={16}>
            <Col xs={24} sm={12}>
              {editing ? (
                <Form.Item label={t('user.field.username')}>
                  <Input value={user.username} disabled />
                </Form.Item>
              ) : (
                <Form.Item
                  name="username"
                  label={t('user.field.username')}
                  extra={t('user.field.username.help')}
                  rules={[
                    { ...required, whitespace: true },
                    { pattern: USERNAME_PATTERN, message: t('user.field.username.format') },
                  ]}
                >
                  <Input autoComplete="off" maxLength={32} data-testid="user-form-username" />
                </Form.Item>
              )}
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                name="displayName"
                label={t('user.field.displayName')}
                rules={[
                  { ...required, whitespace: true },
                  { max: 32, message: t('validation.maxLength', { max: 32 }) },
                ]}
              >
                <Input maxLength={32} data-testid="user-form-displayName" />
              </Form.Item>
            </Col>
            {editing ? null : (
              <>
                <Col xs={24} sm={12}>
                  <Form.Item name="password" label={t('user.field.password')} rules={passwordRules(t, () => form.getFieldValue('username'))} extra={t('validation.password.help')}>
                    <Input.Password autoComplete="new-password" data-testid="user-form-password" />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item
                    name="confirm"
                    label={t('user.field.confirmPassword')}
                    dependencies={['password']}
                    rules={[required, confirmRule(t, 'password')]}
                  >
                    <Input.Password autoComplete="new-password" />
                  </Form.Item>
                </Col>
              </>
            )}
            <Col xs={24} sm={12}>
              <Form.Item name="orgUnitId" label={t('user.field.orgUnit')} rules={[required]}>
                <OrgUnitSelect disableInactive allowClear={false} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="departmentId" label={t('user.field.department')}>
                <Select
                  allowClear
                  placeholder={orgUnitId ? t('user.field.department.placeholder') : t('user.field.department.pickUnit')}
                  options={departmentOptions}
                  loading={departments.isLoading}
                  showSearch={{ optionFilterProp: 'label' }}
                  notFoundContent={t('user.field.department.none')}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="phone" label={t('user.field.phone')} rules={[{ pattern: PERSON_PHONE_PATTERN, message: t('validation.personPhone') }]}>
                <Input maxLength={20} inputMode="tel" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                name="policeNo"
                label={t('user.field.policeNo')}
                extra={t('user.field.policeNo.help')}
                rules={[{ pattern: POLICE_NO_PATTERN, message: t('user.field.policeNo.format') }]}
              >
                <Input maxLength={12} autoComplete="off" className="fq-mono" data-testid="user-form-policeNo" />
              </Form.Item>
            </Col>
            {editing ? (
              <Col xs={24} sm={12}>
                <Form.Item name="status" label={t('common.status')}>
                  <Select options={(['active', 'disabled'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))} />
                </Form.Item>
              </Col>
            ) : null}
            <Col span={24}>
              <Form.Item name="roles" label={t('user.field.roles')} rules={[{ ...required, type: 'array', min: 1, message: t('user.field.roles.required') }]}>
                <Select
                  mode="multiple"
                  allowClear
                  placeholder={t('user.field.roles.placeholder')}
                  loading={roles.isLoading}
                  options={(roles.data ?? []).map((r) => ({ value: r.code, label: localName(r), title: r.description }))}
                  showSearch={{ optionFilterProp: 'label' }}
                  data-testid="user-form-roles"
                />
              </Form.Item>
            </Col>
            <Col span={24}>
              {editing ? (
                <Form.Item label={t('user.photo')} extra={t('user.photo.help')}>
                  <StaffPhotoUpload userId={user.id} hasPhoto={original?.hasPhoto} />
                </Form.Item>
              ) : (
                <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
                  {t('user.photo.afterCreate')}
                </Typography.Paragraph>
              )}
            </Col>
          </Row>
        </Form>
      )}
    </Modal>
  );
}

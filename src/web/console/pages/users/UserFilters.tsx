import { Button, Col, Form, Input, Row, Select, Space } from 'antd';
import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import type { UserStatus } from '../../../shared/types';
import { useI18n } from '../../../shared/i18n';
import { useAuth } from '../../auth/AuthProvider';
import { useRoles } from '../../data/queries';
import { OrgUnitSelect } from '../../components/OrgUnitSelect';
import { useLocalName } from '../../data/useLocalName';

export interface UserFilterValues {
  q?: string;
  orgUnitId?: string;
  role?: string;
  status?: UserStatus;
}

export function UserFilters({ onSearch }: { onSearch: (values: UserFilterValues) => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const [form] = Form.useForm<UserFilterValues>();
  const canOrg = can('org.read');
  const canRoles = can('role.read');
  const roles = useRoles(canRoles);
  const localName = useLocalName();

  const submit = () => {
    const v = form.getFieldsValue();
    onSearch({ ...v, q: v.q?.trim() || undefined });
  };

  return (
    <Form<UserFilterValues> form={form} layout="vertical" className="fq-filter-bar" onFinish={submit}>
      <Row gutter={16} align="bottom">
        <Col xs={24} sm={12} lg={6}>
          <Form.Item name="q" label={t('common.keyword')}>
            <Input allowClear placeholder={t('user.filter.keyword')} data-testid="user-filter-q" />
          </Form.Item>
        </Col>
        {canOrg ? (
          <Col xs={24} sm={12} lg={5}>
            <Form.Item name="orgUnitId" label={t('user.field.orgUnit')}>
              <OrgUnitSelect />
            </Form.Item>
          </Col>
        ) : null}
        {canRoles ? (
          <Col xs={12} sm={12} lg={4}>
            <Form.Item name="role" label={t('user.field.role')}>
              <Select
                allowClear
                placeholder={t('common.all')}
                loading={roles.isLoading}
                options={(roles.data ?? []).map((r) => ({ value: r.code, label: localName(r) }))}
                showSearch={{ optionFilterProp: 'label' }}
              />
            </Form.Item>
          </Col>
        ) : null}
        <Col xs={12} sm={12} lg={4}>
          <Form.Item name="status" label={t('common.status')}>
            <Select
              allowClear
              placeholder={t('common.all')}
              options={(['active', 'disabled'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={24} lg={5}>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="user-search">
                {t('common.search')}
              </Button>
              <Button
                icon={<ReloadOutlined />}
                onClick={() => {
                  form.resetFields();
                  onSearch({});
                }}
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Col>
      </Row>
    </Form>
  );
}

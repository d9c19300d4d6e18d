import { useState } from 'react';
import { AutoComplete, Button, Col, DatePicker, Form, Input, Row, Select, Space } from 'antd';
import { DownOutlined, ReloadOutlined, SearchOutlined, UpOutlined } from '@ant-design/icons';
import { useIsMobile } from '../../../shared/hooks/useMediaQuery';
import { UUID_PATTERN } from '../../components/validation';
import { AUDIT_ACTIONS, AUDIT_SUBJECT_TYPES } from '../../data/auditCatalog';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../../shared/i18n';

export interface AuditQuery {
  action?: string;
  actorId?: string;
  subjectType?: string;
  subjectId?: string;
  outcome?: string;
  from?: string;
  to?: string;
}

interface FormValues {
  action?: string;
  actorId?: string;
  subjectType?: string;
  subjectId?: string;
  outcome?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

export const OUTCOMES = ['success', 'failure', 'denied'] as const;

function clean(v: string | undefined): string | undefined {
  const s = v?.trim();
  return s ? s : undefined;
}

export function AuditFilters({ onSearch }: { onSearch: (q: AuditQuery) => void }) {
  const { t, tx } = useI18n();
  const [form] = Form.useForm<FormValues>();
  const isMobile = useIsMobile();
  const [expanded, setExpanded] = useState(false);
  // Phones show the two main filters; the rest fold away.
  const extra = isMobile && !expanded ? { style: { display: 'none' } } : {};

  const submit = (v: FormValues) => {
    const [from, to] = v.range ?? [];
    onSearch({
      action: clean(v.action),
      actorId: clean(v.actorId),
      subjectType: clean(v.subjectType),
      subjectId: clean(v.subjectId),
      outcome: v.outcome,
      from: from ? from.toISOString() : undefined,
      to: to ? to.toISOString() : undefined,
    });
  };

  return (
    <Form<FormValues> form={form} layout="vertical" className="fq-filter-bar" onFinish={submit}>
      <Row gutter={16} align="bottom">
        <Col xs={24} sm={12} lg={6}>
          <Form.Item name="action" label={t('audit.field.action')}>
            <AutoComplete
              allowClear
              placeholder={t('audit.filter.action')}
              options={AUDIT_ACTIONS.map((a) => ({
                value: a,
                label: (
                  <span>
                    {tx(`audit.action.${a}`, a)} <span className="fq-mono" style={{ color: 'rgba(0,0,0,0.45)' }}>{a}</span>
                  </span>
                ),
              }))}
              showSearch={{
                filterOption: (input, option) =>
                  !!option && (String(option.value).includes(input) || tx(`audit.action.${option.value}`, '').includes(input)),
              }}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={6} {...extra}>
          <Form.Item name="actorId" label={t('audit.field.actorId')} rules={[{ pattern: UUID_PATTERN, message: t('validation.uuid') }]}>
            <Input allowClear placeholder={t('audit.filter.actorId')} className="fq-mono" />
          </Form.Item>
        </Col>
        <Col xs={12} sm={12} lg={4} {...extra}>
          <Form.Item name="subjectType" label={t('audit.field.subjectType')}>
            <Select
              allowClear
              placeholder={t('audit.filter.subjectType')}
              options={AUDIT_SUBJECT_TYPES.map((s) => ({ value: s, label: tx(`audit.subjectType.${s}`, s) }))}
            />
          </Form.Item>
        </Col>
        <Col xs={12} sm={12} lg={4} {...extra}>
          <Form.Item name="subjectId" label={t('audit.field.subjectId')}>
            <Input allowClear className="fq-mono" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={4} {...extra}>
          <Form.Item name="outcome" label={t('audit.field.outcome')}>
            <Select
              allowClear
              placeholder={t('common.all')}
              options={OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcome.${o}`) }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={24} lg={12} xl={10}>
          <Form.Item name="range" label={t('audit.field.timeRange')}>
            <DatePicker.RangePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              allowEmpty={[true, true]}
              style={{ width: '100%' }}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={24} lg={12} xl={14}>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
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
              {isMobile ? (
                <Button type="link" onClick={() => setExpanded((e) => !e)} icon={expanded ? <UpOutlined /> : <DownOutlined />} iconPlacement="end">
                  {t(expanded ? 'common.collapseFilters' : 'common.expandFilters')}
                </Button>
              ) : null}
            </Space>
          </Form.Item>
        </Col>
      </Row>
    </Form>
  );
}

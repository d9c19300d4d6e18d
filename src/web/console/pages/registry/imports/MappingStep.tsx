import { useMemo, useState } from 'react';
import { Alert, Button, Select, Space, Table, Tag, Tooltip, Typography, theme } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckCircleOutlined, ExclamationCircleOutlined, MinusCircleOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { isApiError } from '../../../../shared/api';
import type { ImportColumn, ImportJob } from '../../../../shared/types';
import { useIsMobile } from '../../../../shared/hooks/useMediaQuery';
import { useValidateImport } from '../../../data/imports';

type Mapping = Record<string, number | undefined>;

/** Step ③: each template field → a column of the file, pre-filled with the server's suggestion. */
export function MappingStep({ job, onValidating, onCancel }: { job: ImportJob; onValidating: () => void; onCancel?: () => void }) {
  const { t } = useI18n();
  const columns = useMemo(() => job.columns ?? [], [job.columns]);
  const [mapping, setMapping] = useState<Mapping>(() => ({ ...(job.mapping ?? {}) }));
  const validate = useValidateImport();
  const { token } = theme.useToken();
  const isMobile = useIsMobile();

  const headerLabel = (i: number) => t('imports.mapping.column', { n: i + 1, header: job.headers[i] || t('imports.mapping.blankHeader') });

  // the field each column is taken by (the first one), to flag a column chosen twice
  const owner = useMemo(() => {
    const m = new Map<number, string>();
    for (const c of columns) {
      const i = mapping[c.field];
      if (i !== undefined && !m.has(i)) m.set(i, c.field);
    }
    return m;
  }, [columns, mapping]);

  const serverErrors = useMemo(() => {
    const m = new Map<string, string>();
    if (isApiError(validate.error)) for (const e of validate.error.errors) if (e.field.startsWith('mapping.')) m.set(e.field.slice(8), e.message);
    return m;
  }, [validate.error]);

  const problemOf = (c: ImportColumn): string | undefined => {
    const i = mapping[c.field];
    if (i === undefined) return c.required ? t('imports.mapping.requiredMissing') : undefined;
    const first = owner.get(i);
    if (first && first !== c.field) {
      const other = columns.find((x) => x.field === first);
      return t('imports.mapping.duplicate', { field: other?.header ?? first });
    }
    return serverErrors.get(c.field);
  };

  const missing = columns.filter((c) => c.required && mapping[c.field] === undefined);
  const duplicates = columns.filter((c) => {
    const i = mapping[c.field];
    return i !== undefined && owner.get(i) !== c.field;
  });
  const mappedCount = columns.filter((c) => mapping[c.field] !== undefined).length;
  const unused = job.headers.map((h, i) => ({ h, i })).filter(({ h, i }) => h !== '' && !owner.has(i));
  const blocked = missing.length > 0 || duplicates.length > 0;

  const submit = () => {
    const body: Record<string, number> = {};
    for (const [field, i] of Object.entries(mapping)) if (i !== undefined) body[field] = i;
    validate.mutate({ id: job.id, mapping: body }, { onSuccess: onValidating });
  };

  const stateColumn: TableColumnsType<ImportColumn>[number] = {
    key: 'state',
    title: t('imports.mapping.state'),
    width: 120,
    render: (_, c) =>
      mapping[c.field] !== undefined ? (
        <Tag icon={<CheckCircleOutlined />} color="success">
          {t('imports.mapping.state.mapped')}
        </Tag>
      ) : c.required ? (
        <Tag icon={<ExclamationCircleOutlined />} color="error">
          {t('imports.mapping.state.missing')}
        </Tag>
      ) : (
        <Tag icon={<MinusCircleOutlined />}>{t('imports.mapping.state.skipped')}</Tag>
      ),
  };

  const options = job.headers.map((_, i) => ({ value: i, label: headerLabel(i) }));

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Alert
        type="info"
        showIcon
        title={t('imports.mapping.intro', { columns: job.headers.length, mapped: mappedCount, fields: columns.length })}
        description={t('imports.mapping.introHint')}
      />
      {validate.error && serverErrors.size === 0 ? <ProblemAlert error={validate.error} /> : null}
      <Table<ImportColumn>
        rowKey="field"
        size="middle"
        pagination={false}
        dataSource={columns}
        scroll={isMobile ? undefined : { x: 720 }}
        data-testid="import-mapping"
        onRow={(c) => (problemOf(c) ? { style: { background: token.colorErrorBg } } : {})}
        columns={[
          {
            key: 'field',
            title: t('imports.mapping.field'),
            width: isMobile ? 118 : 240,
            render: (_, c) => (
              <Space size={isMobile ? 2 : 6} align="center" wrap>
                {c.required ? (
                  <Typography.Text type="danger" aria-label={t('imports.mapping.required')}>
                    *
                  </Typography.Text>
                ) : null}
                <Typography.Text strong={c.required}>{c.header}</Typography.Text>
                {c.note || c.values ? (
                  <Tooltip
                    title={
                      <div>
                        {c.note ? <div>{c.note}</div> : null}
                        {c.values ? <div>{t('imports.mapping.values', { values: c.values.join(t('imports.mapping.valuesSep')) })}</div> : null}
                      </div>
                    }
                  >
                    <QuestionCircleOutlined style={{ color: token.colorTextTertiary, cursor: 'help' }} aria-label={t('imports.mapping.note')} />
                  </Tooltip>
                ) : null}
              </Space>
            ),
          },
          {
            key: 'column',
            title: t('imports.mapping.fileColumn'),
            width: isMobile ? undefined : 300,
            render: (_, c) => {
              const problem = problemOf(c);
              return (
                <div>
                  <Select<number>
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    style={{ width: '100%', maxWidth: 320 }}
                    placeholder={c.required ? t('imports.mapping.pickRequired') : t('imports.mapping.notImported')}
                    value={mapping[c.field]}
                    status={problem ? 'error' : undefined}
                    options={options}
                    onChange={(v) => {
                      validate.reset();
                      setMapping((m) => ({ ...m, [c.field]: v }));
                    }}
                    data-testid={`import-map-${c.field}`}
                  />
                  {problem ? (
                    <Typography.Text type="danger" style={{ display: 'block', fontSize: 12, marginTop: 2 }}>
                      {problem}
                    </Typography.Text>
                  ) : null}
                </div>
              );
            },
          },
          ...(isMobile ? [] : [stateColumn]),
        ]}
      />
      {unused.length > 0 ? (
        <Typography.Text type="secondary" data-testid="import-unused-columns">
          {t('imports.mapping.unused', { columns: unused.map(({ h }) => `「${h}」`).join(t('imports.mapping.valuesSep')) })}
        </Typography.Text>
      ) : null}
      <Space wrap>
        <Button type="primary" size="large" onClick={submit} loading={validate.isPending} disabled={blocked} data-testid="import-validate">
          {t('imports.mapping.validate')}
        </Button>
        {onCancel ? (
          <Button size="large" onClick={onCancel}>
            {t('imports.mapping.back')}
          </Button>
        ) : null}
        {blocked ? (
          <Typography.Text type="danger">
            {missing.length > 0 ? t('imports.mapping.blockedMissing', { n: missing.length }) : t('imports.mapping.blockedDuplicate')}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">{t('imports.mapping.validateHint')}</Typography.Text>
        )}
      </Space>
    </Space>
  );
}

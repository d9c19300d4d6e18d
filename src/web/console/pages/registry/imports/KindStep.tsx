import { useState } from 'react';
import { App, Button, Card, Col, Row, Space, Typography, theme } from 'antd';
import { CheckCircleFilled, DownloadOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { useNotifyError } from '../../../../shared/components/useNotifyError';
import { IMPORT_KINDS, type ImportKind } from '../../../../shared/types';
import { useAuth } from '../../../auth/AuthProvider';
import { downloadTemplate } from '../../../data/imports';
import { KIND_META } from './meta';

/** Step ①: what to import, with the template of each kind. */
export function KindStep({ value, onChange, onNext }: { value: ImportKind | undefined; onChange: (kind: ImportKind) => void; onNext: () => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [downloading, setDownloading] = useState<string | null>(null);
  const { token } = theme.useToken();

  const download = async (kind: ImportKind, format: 'xlsx' | 'csv') => {
    setDownloading(`${kind}.${format}`);
    try {
      const name = await downloadTemplate(kind, format);
      message.success(t('imports.template.downloaded', { name }));
    } catch (err) {
      notifyError(err);
    } finally {
      setDownloading(null);
    }
  };

  return (
    <div>
      <Typography.Paragraph type="secondary">{t('imports.kind.intro')}</Typography.Paragraph>
      <Row gutter={[16, 16]} role="radiogroup" aria-label={t('imports.step.kind')}>
        {IMPORT_KINDS.map((kind) => {
          const meta = KIND_META[kind];
          const allowed = can(meta.centre ?? 'registry.import') && can(meta.permission);
          const selected = value === kind;
          return (
            <Col key={kind} xs={24} sm={12} xl={6}>
              <Card
                hoverable={allowed}
                role="radio"
                aria-checked={selected}
                aria-disabled={!allowed}
                tabIndex={allowed ? 0 : -1}
                onClick={() => allowed && onChange(kind)}
                onKeyDown={(e) => {
                  if (allowed && (e.key === 'Enter' || e.key === ' ')) {
                    e.preventDefault();
                    onChange(kind);
                  }
                }}
                data-testid={`import-kind-${kind}`}
                style={{
                  height: '100%',
                  cursor: allowed ? 'pointer' : 'not-allowed',
                  opacity: allowed ? 1 : 0.6,
                  borderColor: selected ? token.colorPrimary : undefined,
                  background: selected ? token.colorInfoBg : undefined,
                  boxShadow: selected ? `0 0 0 1px ${token.colorPrimary}` : undefined,
                }}
                styles={{ body: { padding: 16, display: 'flex', flexDirection: 'column', gap: 8, height: '100%' } }}
              >
                <Space align="center" style={{ justifyContent: 'space-between', width: '100%' }}>
                  <Space align="center" size={10}>
                    <span style={{ fontSize: 22, color: allowed ? token.colorPrimary : undefined }}>{meta.icon}</span>
                    <Typography.Text strong style={{ fontSize: 16 }}>
                      {t(meta.nameKey)}
                    </Typography.Text>
                  </Space>
                  {selected ? <CheckCircleFilled style={{ color: token.colorPrimary, fontSize: 18 }} /> : null}
                </Space>
                <Typography.Text type="secondary" style={{ flex: 1 }}>
                  {allowed ? t(meta.descKey) : t('imports.kind.noPermission')}
                </Typography.Text>
                <Space size={4} wrap onClick={(e) => e.stopPropagation()}>
                  {(['xlsx', 'csv'] as const).map((format) => (
                    <Button
                      key={format}
                      size="small"
                      type="link"
                      icon={<DownloadOutlined />}
                      disabled={!allowed}
                      loading={downloading === `${kind}.${format}`}
                      onClick={() => void download(kind, format)}
                      style={{ paddingInline: 4 }}
                      data-testid={`import-template-${kind}-${format}`}
                    >
                      {t('imports.template.download', { format: format.toUpperCase() })}
                    </Button>
                  ))}
                </Space>
              </Card>
            </Col>
          );
        })}
      </Row>
      <div style={{ marginTop: 24 }}>
        <Button type="primary" size="large" disabled={!value} onClick={onNext} data-testid="import-next">
          {t('imports.kind.next')}
        </Button>
        {!value ? (
          <Typography.Text type="secondary" style={{ marginInlineStart: 12 }}>
            {t('imports.kind.pick')}
          </Typography.Text>
        ) : null}
      </div>
    </div>
  );
}

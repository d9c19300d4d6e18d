import { useSearchParams } from 'react-router';
import { Card, Tabs } from 'antd';
import { HistoryOutlined, ImportOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { PageContainer } from '../../../layout/PageContainer';
import { ImportWizard } from './ImportWizard';
import { ImportHistory } from './ImportHistory';

/**
 * 数据导入: template → upload → column mapping → dry run → commit, and the jurisdiction's import history.
 * `?job=<id>` opens a job where it stands; `?tab=history` shows the history.
 */
export default function ImportsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job') ?? undefined;
  const tab = params.get('tab') === 'history' ? 'history' : 'wizard';

  const open = (id: string) => setParams({ job: id });
  const startNew = () => setParams({});

  return (
    <PageContainer subtitle={t('imports.subtitle')}>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ ...(jobId ? { job: jobId } : {}), ...(key === 'history' ? { tab: 'history' } : {}) })}
        destroyOnHidden
        items={[
          {
            key: 'wizard',
            label: jobId ? t('imports.tab.job') : t('imports.tab.new'),
            icon: <ImportOutlined />,
            children: <ImportWizard key={jobId ?? 'new'} jobId={jobId} onOpen={open} onNew={startNew} />,
          },
          {
            key: 'history',
            label: t('imports.tab.history'),
            icon: <HistoryOutlined />,
            children: (
              <Card>
                <ImportHistory onOpen={open} />
              </Card>
            ),
          },
        ]}
      />
    </PageContainer>
  );
}

import { Badge, Button, Card, Descriptions, Skeleton, Tooltip } from 'antd';
import { CloudServerOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/api';
import type { Health } from '../../../shared/types';
import { useI18n } from '../../../shared/i18n';
import { formatTime } from '../../../shared/format';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { queryKeys } from '../../data/queries';

export function HealthCard() {
  const { t, tx } = useI18n();
  const health = useQuery({
    queryKey: queryKeys.health,
    queryFn: () => api.get<Health>('/health'),
    refetchInterval: 60_000,
  });
  const ok = health.data?.status === 'ok';
  return (
    <Card
      data-testid="health-card"
      title={
        <span>
          <CloudServerOutlined style={{ marginInlineEnd: 8, color: '#1a4fa0' }} />
          {t('dashboard.health')}
        </span>
      }
      extra={
        <Tooltip title={t('common.refresh')}>
          <Button
            type="text"
            size="small"
            icon={<ReloadOutlined spin={health.isFetching} />}
            onClick={() => void health.refetch()}
            aria-label={t('common.refresh')}
          />
        </Tooltip>
      }
    >
      {health.isPending ? (
        <Skeleton active paragraph={{ rows: 3 }} title={false} />
      ) : health.isError ? (
        <ProblemAlert error={health.error} />
      ) : (
        <Descriptions
          column={1}
          size="small"
          styles={{ label: { width: 96 } }}
          items={[
            {
              key: 'status',
              label: t('dashboard.health.status'),
              children: <Badge status={ok ? 'success' : 'error'} text={ok ? t('dashboard.health.ok') : health.data.status} />,
            },
            { key: 'version', label: t('dashboard.health.version'), children: health.data.version },
            {
              key: 'database',
              label: t('dashboard.health.database'),
              children: tx(`dashboard.health.db.${health.data.database}`, health.data.database),
            },
            { key: 'time', label: t('dashboard.health.time'), children: formatTime(health.data.time) },
          ]}
        />
      )}
    </Card>
  );
}

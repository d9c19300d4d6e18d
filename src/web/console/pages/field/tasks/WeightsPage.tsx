import { useState } from 'react';
import { Button, Card, Descriptions, Skeleton } from 'antd';
import { SettingOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { PageContainer } from '../../../layout/PageContainer';
import { useWeights } from '../../../data/field-tasks';
import { WeightsModal } from './WeightsModal';

const KEYS = ['onTime', 'collected', 'verified', 'timely', 'collectedCap', 'verifiedCap', 'returnPenalty', 'returnPenaltyCap'] as const;

/** 考核权重: where administrators (field.configure, who need not read the figures themselves) set the weights. */
export default function WeightsPage() {
  const { t } = useI18n();
  const weights = useWeights();
  const [editing, setEditing] = useState(false);
  return (
    <PageContainer
      subtitle={t('nav.field.weights.desc')}
      extra={
        <Button type="primary" icon={<SettingOutlined />} onClick={() => setEditing(true)} disabled={!weights.data} data-testid="weights-edit">
          {t('fieldAssess.weights.title')}
        </Button>
      }
    >
      {weights.error ? <ProblemAlert error={weights.error} /> : null}
      <Card>
        {weights.data ? (
          <Descriptions bordered column={1} size="small" styles={{ label: { width: 220 } }}>
            {KEYS.map((k) => (
              <Descriptions.Item key={k} label={t(`fieldAssess.w.${k}` as 'fieldAssess.w.onTime')}>
                {weights.data[k]}
              </Descriptions.Item>
            ))}
          </Descriptions>
        ) : (
          <Skeleton active />
        )}
      </Card>
      {editing && weights.data ? <WeightsModal weights={weights.data} onClose={() => setEditing(false)} /> : null}
    </PageContainer>
  );
}

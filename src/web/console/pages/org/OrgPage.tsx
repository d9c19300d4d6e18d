import { useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { Card, Col, Empty, Row, Skeleton } from 'antd';
import { useI18n } from '../../../shared/i18n';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PageContainer } from '../../layout/PageContainer';
import { useOrgTree } from '../../data/queries';
import { flattenTree } from '../../data/orgTree';
import { OrgTreePanel } from './OrgTreePanel';
import { OrgUnitDetailPanel } from './OrgUnitDetailPanel';

export default function OrgPage() {
  const { t } = useI18n();
  const tree = useOrgTree();
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('unit') ?? undefined;
  const nodes = useMemo(() => flattenTree(tree.data ?? []), [tree.data]);

  // Select the jurisdiction root when nothing (or something no longer visible) is selected.
  useEffect(() => {
    const first = tree.data?.[0];
    if (first && (!selectedId || !nodes.has(selectedId))) {
      setParams({ unit: first.id }, { replace: true });
    }
  }, [tree.data, selectedId, nodes, setParams]);

  const select = (id: string) => setParams({ unit: id });

  return (
    <PageContainer subtitle={t('org.subtitle')}>
      {tree.isError ? (
        <ProblemAlert error={tree.error} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={9} xxl={8}>
            <Card className="fq-tree-card" title={t('org.tree')}>
              {tree.isPending ? (
                <Skeleton active paragraph={{ rows: 8 }} />
              ) : tree.data.length === 0 ? (
                <Empty description={t('org.tree.empty')} />
              ) : (
                <OrgTreePanel roots={tree.data} selectedId={selectedId} onSelect={select} />
              )}
            </Card>
          </Col>
          <Col xs={24} xl={15} xxl={16}>
            {selectedId && nodes.has(selectedId) ? (
              <OrgUnitDetailPanel unitId={selectedId} onSelect={select} />
            ) : (
              <Card>
                {tree.isPending ? <Skeleton active /> : <Empty description={t('org.selectHint')} />}
              </Card>
            )}
          </Col>
        </Row>
      )}
    </PageContainer>
  );
}

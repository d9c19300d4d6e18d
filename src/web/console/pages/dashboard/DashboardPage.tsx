import { Card, Col, Row, Tag } from 'antd';
import { useNavigate } from 'react-router';
import { ApartmentOutlined, ClockCircleOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useI18n, type MessageKey } from '../../../shared/i18n';
import { departmentName } from '../../../shared/format';
import { Emblem } from '../../../shared/components/Emblem';
import { useMe } from '../../auth/AuthProvider';
import { PageContainer } from '../../layout/PageContainer';
import { NAV_PAGES } from '../../nav';
import { useLocalName } from '../../data/useLocalName';
import { HealthCard } from './HealthCard';
import { AccountCard } from './AccountCard';
import { holds } from '../../auth/holds';

function greetingKey(hour: number): MessageKey {
  if (hour < 6) return 'dashboard.greeting.night';
  if (hour < 11) return 'dashboard.greeting.morning';
  if (hour < 13) return 'dashboard.greeting.noon';
  if (hour < 18) return 'dashboard.greeting.afternoon';
  return 'dashboard.greeting.evening';
}

export default function DashboardPage() {
  const { t, tx } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const localName = useLocalName();
  const now = dayjs();
  const can = (p?: string | readonly string[]) => holds(me.permissions, p);
  const capabilities = NAV_PAGES.filter((p) => p.onDashboard && can(p.permission));
  const dept = departmentName(me.department);

  return (
    <PageContainer>
      <section className="fq-welcome" data-testid="welcome">
        <h2>{t(greetingKey(now.hour()), { name: me.displayName })}</h2>
        <div className="fq-welcome-meta">
          <span>
            <ApartmentOutlined /> {me.orgUnit ? me.orgUnit.name : t('dashboard.noOrgUnit')}
            {me.orgUnit?.kind ? ` · ${tx(`org.kind.${me.orgUnit.kind}`, me.orgUnit.kind)}` : ''}
            {dept ? ` · ${dept}` : ''}
          </span>
          <span>
            <ClockCircleOutlined /> {now.format(t('dashboard.dateFormat'))}
          </span>
        </div>
        <div className="fq-welcome-roles">
          {me.roles.length ? (
            me.roles.map((r) => (
              <span key={r.code} className="fq-welcome-role">
                {localName(r)}
              </span>
            ))
          ) : (
            <span className="fq-welcome-role">{t('dashboard.noRoles')}</span>
          )}
        </div>
        <div className="fq-welcome-watermark">
          <Emblem size={132} />
        </div>
      </section>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card
            title={
              <span>
                <SafetyCertificateOutlined style={{ marginInlineEnd: 8, color: '#1a4fa0' }} />
                {t('dashboard.capabilities')}
              </span>
            }
            extra={<span className="fq-page-subtitle">{t('dashboard.capabilities.hint')}</span>}
          >
            <Row gutter={[16, 16]}>
              {capabilities.map((p) => (
                <Col xs={12} sm={12} lg={8} key={p.key}>
                  <Card
                    size="small"
                    className="fq-cap-card"
                    onClick={() => navigate(p.path)}
                    data-testid={`cap-${p.key}`}
                    role="link"
                    tabIndex={0}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') navigate(p.path);
                    }}
                  >
                    <div className="fq-cap-head">
                      <span className="fq-cap-icon">{p.icon}</span>
                      <span className="fq-cap-title">{t(p.labelKey)}</span>
                    </div>
                    <div className="fq-cap-desc">{t(p.descKey)}</div>
                    <div className="fq-cap-tags">
                      {p.permission ? <Tag color="blue">{t('dashboard.cap.view')}</Tag> : null}
                      {p.managePermission && can(p.managePermission) ? (
                        <Tag color="gold">{t(p.key === 'audit' ? 'dashboard.cap.export' : 'dashboard.cap.manage')}</Tag>
                      ) : null}
                      {!p.permission ? <Tag color="green">{t('dashboard.cap.personal')}</Tag> : null}
                    </div>
                  </Card>
                </Col>
              ))}
            </Row>
            {capabilities.every((p) => !p.permission) ? (
              <div className="fq-cap-more">{t('dashboard.capabilities.more')}</div>
            ) : null}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Row gutter={[16, 16]}>
            <Col span={24}>
              <AccountCard />
            </Col>
            <Col span={24}>
              <HealthCard />
            </Col>
          </Row>
        </Col>
      </Row>
    </PageContainer>
  );
}

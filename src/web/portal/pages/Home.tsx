// /m — reached without a plate: how to start, and the way to one's own progress.
import { Button } from 'antd-mobile';
import { confirmDialog } from '../lib/notify';
import { Link } from 'react-router';
import { post } from '../api';
import { Card, Icon, ICONS, Screen } from '../components/ui';
import { signedOut, useSession } from '../session';
import { S } from '../strings';

export default function Home() {
  const session = useSession();
  async function logout() {
    if (!(await confirmDialog({ content: `${S.login.logout}？` }))) return;
    await post('/auth/logout').catch(() => undefined);
    signedOut();
  }
  return (
    <Screen title={S.appName} back={null} testId="home-page">
      <Card>
        <div className="fq-hero">
          <Icon d={ICONS.shield} size={40} />
          <div>
            <h2 className="fq-h2">枫桥 · 扫码服务</h2>
            <p className="fq-muted">扫描门牌上的二维码，即可办理流动人口报备、出租屋报备、求助、调解、预约等业务。</p>
          </div>
        </div>
      </Card>
      <div className="fq-menu">
        <Link className="fq-menu-item" to="/me" data-testid="home-me">
          <Icon d={ICONS.list} />
          <span>{S.actions.me}</span>
        </Link>
      </div>
      <Card>
        <a className="fq-emergency-inline" href="tel:110">
          {S.help.emergency}
        </a>
      </Card>
      {session.status === 'resident' ? (
        <div className="fq-pad fq-center">
          <p className="fq-muted">{S.login.signedInAs(session.phone.replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2'))}</p>
          <Button fill="none" color="primary" onClick={() => void logout()} data-testid="logout">
            {S.login.logout}
          </Button>
        </div>
      ) : null}
    </Screen>
  );
}

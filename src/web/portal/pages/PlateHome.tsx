// /m/p/:token — the plate's header and everything a resident can do from it.
import { Link } from 'react-router';
import { PlateCard, usePlate } from '../components/plate';
import { CallLink, Card, Icon, ICONS, Screen } from '../components/ui';
import { S } from '../strings';

// labels broken where a narrow phone would break them anyway, but at a sensible place
const ACTIONS: Array<[string, string, string]> = [
  ['residence', '流动人口\n报备', ICONS.person],
  ['rental', S.actions.rental, ICONS.house],
  ['help', '报警求助\n咨询', ICONS.alert],
  ['mediation', S.actions.mediation, ICONS.handshake],
  ['ebike', '电动自行车\n登记', ICONS.bike],
  ['appointments', S.actions.appointments, ICONS.calendar],
  ['tips', '安全防范\n提示', ICONS.shield],
  ['nearby', S.actions.nearby, ICONS.pin],
];

export default function PlateHome() {
  const plate = usePlate();
  const people = [...plate.officers.map((p) => ({ ...p, role: '社区民警' })), ...plate.gridWorkers.map((p) => ({ ...p, role: '网格员' }))];
  return (
    <Screen title={S.appName} back={`/q/${plate.token}`} testId="plate-home">
      <PlateCard />
      <a className="fq-emergency" href="tel:110" data-testid="emergency">
        <Icon d={ICONS.phone} size={20} />
        {S.help.emergency}
      </a>
      <Card title={S.plate.actions}>
        <nav className="fq-grid">
          {ACTIONS.map(([path, label, icon]) => (
            <Link key={path} to={path} className="fq-grid-item" data-testid={`action-${path}`} aria-label={S.actions[path as keyof typeof S.actions]}>
              <Icon d={icon} size={28} />
              <span>{label}</span>
            </Link>
          ))}
        </nav>
        <Link to="/me" className="fq-row-link" data-testid="action-me">
          <Icon d={ICONS.list} size={20} />
          <span>{S.actions.me}</span>
          <span className="fq-chevron" aria-hidden="true">›</span>
        </Link>
      </Card>
      {people.length ? (
        <Card title="您的社区民警和网格员">
          {people.map((p) => (
            <div key={`${p.role}-${p.id}`} className="fq-person">
              {p.photoUrl ? <img className="fq-avatar" src={p.photoUrl} alt="" loading="lazy" width={44} height={44} /> : <div className="fq-avatar is-empty">{p.name.slice(0, 1)}</div>}
              <div className="fq-person-text">
                <div className="fq-strong">{p.name}</div>
                <div className="fq-small fq-muted">
                  {p.role}
                  {p.policeNo ? ` · 警号 ${p.policeNo}` : ''}
                </div>
              </div>
              {p.phone ? <CallLink phone={p.phone} label={S.call} /> : null}
            </div>
          ))}
        </Card>
      ) : null}
    </Screen>
  );
}

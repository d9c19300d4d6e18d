// 地址档案 (一标三实): the address, its housing, current residents (masked), units, the last check and the open
// tasks here, and the actions: 核查无误, visits, patrol check-ins, reports, and changes to the registry.
import { Button } from 'antd-mobile';
import { useNavigate, useParams } from 'react-router';
import type { AddressRecord, Housing, ItemType } from '../api';
import { enqueue, useApp } from '../data/app';
import { useRecord } from '../data/record';
import { Card, EmptyState, ErrorState, Icon, ICONS, Loading, RowLink, Screen, Tag } from '../components/ui';
import { confirmDialog, fmtDate, fmtShort, newClientId, shortAddress, toast } from '../lib/util';
import { HOUSING_USES, KEY_INDUSTRIES, nameOf, PERSON_TYPES, PROPERTY_TYPES, RELATIONS, RENTAL_REGISTRATIONS, S, SEXES, UNIT_TYPES } from '../strings';
import { DueTag } from './Tasks';

const R = S.record;

function HousingView(props: { h: Housing }) {
  const h = props.h;
  const rows: Array<[string, string | null]> = [
    [S.change.fields.use, nameOf(HOUSING_USES, h.use)],
    [S.change.fields.propertyType, nameOf(PROPERTY_TYPES, h.propertyType)],
    [S.change.fields.ownerName, h.ownerName],
    [S.change.fields.ownerPhone, h.ownerPhoneMasked],
    [S.change.fields.rooms, h.rooms == null ? null : String(h.rooms)],
    [S.change.fields.areaM2, h.areaM2 == null ? null : String(h.areaM2)],
  ];
  if (h.use === 'rent') {
    rows.push([S.change.fields.groupRental, h.groupRental ? S.item.yes : S.item.no]);
    rows.push([S.change.fields.rentalRegistration, nameOf(RENTAL_REGISTRATIONS, h.rentalRegistration)]);
    if (h.leaseFrom || h.leaseTo) rows.push(['租期', `${h.leaseFrom ?? ''} 至 ${h.leaseTo ?? ''}`]);
  }
  return (
    <dl className="fq-kv">
      {rows
        .filter(([, v]) => v)
        .map(([k, v]) => (
          <div key={k} style={{ display: 'contents' }}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
    </dl>
  );
}

export default function Record() {
  const params = useParams();
  const navigate = useNavigate();
  const pack = useApp((s) => s.pack);
  const tasks = useApp((s) => s.tasks);
  const outbox = useApp((s) => s.outbox);
  const online = useApp((s) => s.online);
  const view = useRecord(params.token ? { token: params.token } : { id: params.id });
  const rec: AddressRecord | null = view.record;

  if (!rec) {
    return (
      <Screen title={R.title} back="/scan" testId="record-page">
        {view.loading ? (
          <Loading />
        ) : view.error ? (
          <ErrorState error={view.error} onRetry={view.reload} />
        ) : (
          <EmptyState title={R.notFound} hint={R.notFoundHint} testId="record-not-found">
            {online ? null : <span className="fq-small fq-muted">{S.sync.offlineHint}</span>}
          </EmptyState>
        )}
      </Screen>
    );
  }

  const a = rec.address;
  const base = `/a/${a.id}`;
  const typeOf = (code: string): ItemType | undefined => pack?.itemTypes.find((t) => t.code === code);
  const here = outbox.filter((e) => e.op.addressId === a.id);
  const verifyWaiting = here.some((e) => e.op.op === 'item' && e.op.typeCode === 'address_verify');
  const openTasks = rec.openTasks.length
    ? rec.openTasks
    : tasks.filter((t) => (t.addressId ?? t.address?.id) === a.id).map((t) => ({ id: t.id, title: t.title, dueDate: t.dueDate, itemTypeCode: t.itemTypeCode }));
  const served = new Set(here.flatMap((e) => (e.op.op === 'item' && e.op.taskId ? [e.op.taskId] : [])));

  const openItem = (code?: string, taskId?: string) => {
    const q = new URLSearchParams();
    if (code) q.set('type', code);
    if (taskId) q.set('task', taskId);
    const qs = q.toString();
    navigate(`${base}/item${qs ? `?${qs}` : ''}`);
  };

  const verify = async () => {
    const type = typeOf('address_verify');
    const simple = type && !type.needsPhoto && !type.needsLocation && !type.formSchema.fields.some((f) => f.required);
    const task = openTasks.find((t) => t.itemTypeCode === 'address_verify' && !served.has(t.id));
    // a form to fill: opened with the "everything matches" answers chosen, to confirm or correct
    if (!simple) return navigate(`${base}/item?type=address_verify&quick=1${task ? `&task=${task.id}` : ''}`);
    if (!(await confirmDialog({ content: R.verifyConfirm, confirmText: R.verify, cancelText: S.cancel }))) return;
    await enqueue(
      { op: 'item', clientId: newClientId(), typeCode: 'address_verify', addressId: a.id, ...(task ? { taskId: task.id } : {}), data: {}, occurredAt: new Date().toISOString() },
      `${type.name} · ${shortAddress(a.fullText)}`,
      [],
    );
    toast(R.verifySaved, 'success');
  };

  const actions: Array<[string, string, () => void, boolean?, string?]> = [
    [R.verify, ICONS.check, () => void verify(), true, 'act-verify'],
    [R.visit, ICONS.visit, () => openItem('home_visit'), false, 'act-visit'],
    [R.patrol, ICONS.patrol, () => openItem('patrol_checkin'), false, 'act-patrol'],
    [R.report, ICONS.report, () => openItem(), false, 'act-report'],
    [R.personAdd, ICONS.personAdd, () => navigate(`${base}/change/person_add`), false, 'act-person-add'],
    [R.unitAdd, ICONS.unit, () => navigate(`${base}/change/unit_add`), false, 'act-unit-add'],
  ];

  return (
    <Screen title={R.title} back="/scan" testId="record-page">
      <section className="fq-card fq-addr" data-testid="record-address">
        <div className="fq-addr-short">{shortAddress(a.fullText)}</div>
        <div className="fq-addr-full">{a.fullText}</div>
        <div className="fq-addr-meta">
          <span>{a.code}</span>
          {a.gridName ? <span>{a.gridName}</span> : null}
          <span>{view.live ? R.liveData : R.offlineData}</span>
        </div>
      </section>

      <div className="fq-pad-x">
        {verifyWaiting ? (
          <Tag tone="orange" testId="verify-waiting">
            {R.checkedLocal}
          </Tag>
        ) : rec.checks ? (
          <Tag tone="green">{R.checked(fmtShort(rec.checks.lastCheckedAt), rec.checks.lastCheckedByName)}</Tag>
        ) : (
          <Tag tone="grey">{R.neverChecked}</Tag>
        )}
        {rec.pendingChanges > 0 ? <Tag tone="orange">{R.pendingChanges(rec.pendingChanges)}</Tag> : null}
        {here.length > 0 ? (
          <Tag tone="orange" testId="local-pending">
            {R.localPending(here.length)}
          </Tag>
        ) : null}
      </div>

      {openTasks.length ? (
        <Card title={R.openTasks} testId="record-tasks">
          {openTasks.map((t) => (
            <RowLink
              key={t.id}
              onClick={() => openItem(t.itemTypeCode, t.id)}
              title={t.title}
              sub={typeOf(t.itemTypeCode)?.name}
              extra={served.has(t.id) ? <Tag tone="green">{S.tasks.pendingLocal}</Tag> : <DueTag due={t.dueDate} />}
              testId="record-task"
            />
          ))}
        </Card>
      ) : null}

      <Card title={R.actions}>
        <div className="fq-actions-grid">
          {actions.map(([label, icon, onClick, primary, testId]) => (
            <button key={label} type="button" className={`fq-action${primary ? ' is-primary' : ''}`} onClick={onClick} data-testid={testId}>
              <Icon d={icon} />
              <span>{label}</span>
              {primary ? <small>{R.verifyHint}</small> : null}
            </button>
          ))}
        </div>
      </Card>

      <Card
        title={R.housing}
        extra={
          <button type="button" className="fq-mini-btn" onClick={() => navigate(`${base}/change/housing_update`)} data-testid="housing-edit">
            {R.housingUpdate}
          </button>
        }
        testId="record-housing"
      >
        {rec.housing ? <HousingView h={rec.housing} /> : <p className="fq-muted fq-small">{R.noHousing}</p>}
      </Card>

      <Card title={R.residents(rec.residents.length)} testId="record-residents">
        {rec.residents.length === 0 ? <p className="fq-muted fq-small">{R.noResidents}</p> : null}
        {rec.residents.map((p) => (
          <div key={p.residenceId} className="fq-person" data-testid="resident">
            <div className="fq-person-text">
              <div className="fq-person-name">
                {p.name} <span className="fq-small fq-muted">{[nameOf(SEXES, p.sex), R.age(p.age)].filter(Boolean).join(' · ')}</span>
              </div>
              <div className="fq-small fq-muted">{[p.idMasked, p.phoneMasked].filter(Boolean).join(' · ')}</div>
              <div>
                <Tag tone={p.personType === 'floating' ? 'orange' : p.personType === 'overseas' ? 'red' : 'blue'}>{nameOf(PERSON_TYPES, p.personType)}</Tag>
                <Tag tone="grey">{nameOf(RELATIONS, p.relation)}</Tag>
                {p.fromDate ? <span className="fq-small fq-muted">{R.since(fmtDate(p.fromDate))}</span> : null}
              </div>
              {p.expectedStayUntil ? <div className="fq-small fq-muted">{R.stayUntil(fmtDate(p.expectedStayUntil))}</div> : null}
            </div>
            <div className="fq-person-ops">
              <button type="button" className="fq-mini-btn" onClick={() => navigate(`${base}/change/person_update?target=${p.personId}`)}>
                {R.edit}
              </button>
              <button type="button" className="fq-mini-btn is-danger" onClick={() => navigate(`${base}/change/move_out?target=${p.residenceId}`)} data-testid="move-out">
                {R.moveOut}
              </button>
            </div>
          </div>
        ))}
        <Button block fill="outline" color="primary" size="small" onClick={() => navigate(`${base}/change/person_add`)} style={{ marginTop: 8 }}>
          {R.personAdd}
        </Button>
      </Card>

      <Card title={R.units(rec.units.length)} testId="record-units">
        {rec.units.length === 0 ? <p className="fq-muted fq-small">{R.noUnits}</p> : null}
        {rec.units.map((u) => (
          <div key={u.id} className="fq-person">
            <div className="fq-person-text">
              <div className="fq-person-name">{u.name}</div>
              <div>
                {u.unitType ? <Tag tone="grey">{nameOf(UNIT_TYPES, u.unitType)}</Tag> : null}
                {u.keyIndustry ? <Tag tone="red">{nameOf(KEY_INDUSTRIES, u.keyIndustry)}</Tag> : null}
                {u.status !== 'active' ? <Tag tone="grey">{u.status}</Tag> : null}
              </div>
              <div className="fq-small fq-muted">{[u.contactName, u.contactPhoneMasked].filter(Boolean).join(' · ')}</div>
            </div>
            <div className="fq-person-ops">
              <button type="button" className="fq-mini-btn" onClick={() => navigate(`${base}/change/unit_update?target=${u.id}`)}>
                {R.edit}
              </button>
            </div>
          </div>
        ))}
      </Card>

      {rec.children.length ? (
        <Card title={`${R.children}（${rec.children.length}）`}>
          {rec.children.slice(0, 60).map((c) => (
            <RowLink key={c.id} onClick={() => navigate(`/a/${c.id}`)} title={c.name || shortAddress(c.fullText)} testId="child-address" />
          ))}
        </Card>
      ) : null}
    </Screen>
  );
}

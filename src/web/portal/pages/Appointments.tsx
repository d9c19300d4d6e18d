// /m/p/:token/appointments — 办事预约: service → day → slot → confirm → booked. The step lives in the query
// string (?service=&date=&slot=&step=confirm), so that the back button and signing in midway both work.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Button, Tag } from 'antd-mobile';
import { alertDialog } from '../lib/notify';
import { Link, useSearchParams } from 'react-router';
import { get, isApiError, post, type Appointment, type Service, type SlotDay } from '../api';
import { RequireResident } from '../components/auth';
import { PhoneField, TextField } from '../components/fields';
import { FormShell, Section } from '../components/formshell';
import { PlateCard, usePlate } from '../components/plate';
import { Card, EmptyState, ErrorState, Loading, Screen } from '../components/ui';
import { useForm, type Errors } from '../lib/form';
import { fmtDate, fmtTime } from '../lib/util';
import { cleanPhone, phoneError, textError, todayCst } from '../lib/validate';
import { sessionPhone } from '../session';
import { S } from '../strings';
import { copyText, SuccessMark } from './SubmitDone';

const A = S.appt;

function useLoad<T>(load: () => Promise<T>) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(() => {
    setError(null);
    load().then(setData, setError);
  }, [load]);
  useEffect(run, [run]);
  return { data, error, reload: run };
}

function Docs({ docs }: { docs: string[] }) {
  if (!docs.length) return <p className="fq-small fq-muted">{A.noDocs}</p>;
  return (
    <div className="fq-docs">
      <div className="fq-small fq-muted">{A.docs}</div>
      <ul>
        {docs.map((d) => (
          <li key={d}>{d}</li>
        ))}
      </ul>
    </div>
  );
}

function ServiceList({ services, onPick }: { services: Service[]; onPick: (s: Service) => void }) {
  if (!services.length) return <EmptyState title={A.emptyServices} hint="可拨打警务室电话咨询。" testId="services-empty" />;
  const groups = new Map<string, Service[]>();
  for (const s of services) groups.set(s.categoryName, [...(groups.get(s.categoryName) ?? []), s]);
  return (
    <div data-testid="service-list">
      <h2 className="fq-step-title">{A.pickService}</h2>
      {[...groups].map(([category, list]) => (
        <Card key={category} title={category}>
          {list.map((s) => (
            <div key={s.id} className="fq-service" data-testid={`service-${s.id}`}>
              <div className="fq-service-head">
                <span className="fq-strong">{s.name}</span>
                {s.fullyOnline ? (
                  <Tag color="success" fill="outline">
                    {A.fullyOnline}
                  </Tag>
                ) : null}
              </div>
              {s.description ? <p className="fq-small">{s.description}</p> : null}
              <p className="fq-small fq-muted">
                {s.officeName} · {A.mins(s.slotMinutes)}
              </p>
              <Docs docs={s.requiredDocs} />
              <Button size="small" color="primary" onClick={() => onPick(s)} data-testid="service-pick">
                预约
              </Button>
            </div>
          ))}
        </Card>
      ))}
    </div>
  );
}

function ServiceSummary({ service, extra }: { service: Service; extra?: ReactNode }) {
  return (
    <Card title={service.name} extra={extra}>
      <p className="fq-small fq-muted">
        {service.officeName}
        {service.fullyOnline ? ` · ${A.fullyOnline}` : ''}
      </p>
      <Docs docs={service.requiredDocs} />
    </Card>
  );
}

function dayLabel(d: SlotDay) {
  return `${d.date.slice(5).replace('-', '月')}日`;
}

function SlotPicker({ service }: { service: Service }) {
  const [params, setParams] = useSearchParams();
  const load = useCallback(
    () => get<SlotDay[]>(`/portal/services/${encodeURIComponent(service.id)}/slots`, { from: todayCst(), days: service.daysAhead }),
    [service.id, service.daysAhead],
  );
  const { data: days, error, reload } = useLoad(load);
  const [chosen, setChosen] = useState<string | null>(null);

  if (error) return <ErrorState error={error} onRetry={reload} />;
  if (!days) return <Loading />;
  const open = days.filter((d) => d.slots.length > 0);
  if (!open.length) return <EmptyState title={A.noDays} hint="请换一个事项或稍后再来。" testId="slots-empty" />;
  const free = (d: SlotDay) => d.slots.reduce((n, s) => n + s.available, 0);
  const date = params.get('date') && open.some((d) => d.date === params.get('date')) ? params.get('date')! : (open.find((d) => free(d) > 0) ?? open[0]).date;
  const day = open.find((d) => d.date === date)!;
  const pick = (next: Record<string, string>) => setParams({ service: service.id, ...next }, { replace: !next.step });

  return (
    <div data-testid="slot-picker">
      <h2 className="fq-step-title">{A.pickDay}</h2>
      <div className="fq-days" role="tablist">
        {open.map((d) => {
          const n = free(d);
          return (
            <button
              key={d.date}
              type="button"
              role="tab"
              aria-selected={d.date === date}
              className={`fq-day${d.date === date ? ' is-active' : ''}${n === 0 ? ' is-full' : ''}`}
              onClick={() => {
                setChosen(null);
                pick({ date: d.date });
              }}
              data-testid={`day-${d.date}`}
            >
              <span className="fq-day-date">{dayLabel(d)}</span>
              <span className="fq-day-week">{d.date === todayCst() ? '今天' : S.weekdays[d.weekday]}</span>
              <span className="fq-day-free">{n > 0 ? A.remaining(n) : A.full}</span>
            </button>
          );
        })}
      </div>
      <h2 className="fq-step-title">{A.pickSlot}</h2>
      {day.slots.length ? (
        <div className="fq-slots">
          {day.slots.map((s) => {
            const full = s.available <= 0;
            return (
              <button
                key={s.start}
                type="button"
                disabled={full}
                aria-pressed={chosen === s.start}
                className={`fq-slot${chosen === s.start ? ' is-active' : ''}`}
                onClick={() => setChosen(s.start)}
                data-testid="slot"
              >
                <span className="fq-slot-time">
                  {fmtTime(s.start)}–{fmtTime(s.end)}
                </span>
                <span className="fq-slot-free">{full ? A.full : A.remaining(s.available)}</span>
              </button>
            );
          })}
        </div>
      ) : (
        <p className="fq-muted fq-pad">{A.noSlots}</p>
      )}
      <div className="fq-submit-bar">
        <Button block color="primary" size="large" disabled={!chosen} onClick={() => {
            if (chosen) pick({ date, slot: chosen, step: 'confirm' });
          }} data-testid="slot-next">
          下一步：填写预约信息
        </Button>
      </div>
    </div>
  );
}

interface ConfirmValues {
  name: string;
  phone: string;
  note: string;
}

const validateConfirm = (v: ConfirmValues): Errors => ({
  name: textError(v.name, A.name, { required: true, max: 50 }),
  phone: phoneError(v.phone, true, true),
  note: textError(v.note, A.note, { max: 200 }),
});

function Confirm({ service, slot, onBooked, onFull }: { service: Service; slot: string; onBooked: (a: Appointment) => void; onFull: () => void }) {
  const f = useForm<ConfirmValues>({ initial: { name: '', phone: sessionPhone(), note: '' }, validate: validateConfirm });
  const submit = () =>
    void f
      .submit(
        (v, clientId) =>
          post<Appointment>('/portal/appointments', {
            serviceId: service.id,
            slotStart: slot,
            name: v.name.trim(),
            phone: cleanPhone(v.phone),
            ...(v.note.trim() ? { note: v.note.trim() } : {}),
            clientId,
          }).catch(async (err: unknown) => {
            if (isApiError(err) && err.status === 409) {
              await alertDialog({ content: err.message || A.slotFull, confirmText: S.confirm });
              onFull();
            }
            throw err;
          }),
        onBooked,
      );
  return (
    <div data-testid="appt-confirm">
      <ServiceSummary service={service} />
      <Card>
        <div className="fq-kv">
          <span>{A.time}</span>
          <strong data-testid="confirm-time">
            {fmtDate(slot)} {fmtTime(slot)}
          </strong>
        </div>
      </Card>
      <FormShell f={f} onSubmit={submit} submitLabel={A.book} testId="appt-form">
        <Section title={A.confirmTitle}>
          <TextField f={f} path="name" label={A.name} required maxLength={50} autoComplete="name" />
          <PhoneField f={f} path="phone" label={A.phone} required />
          <TextField f={f} path="note" label={A.note} maxLength={200} placeholder={A.notePlaceholder} />
        </Section>
      </FormShell>
    </div>
  );
}

function Booked({ a, token }: { a: Appointment; token: string }) {
  return (
    <div data-testid="appt-booked">
      <Card className="fq-result">
        <SuccessMark />
        <h2 className="fq-result-title">{A.booked}</h2>
        <div className="fq-tracking">
          <span className="fq-muted">{S.result.trackingNo}</span>
          <strong data-testid="tracking-no">{a.trackingNo}</strong>
          <button type="button" className="fq-link-btn" onClick={() => void copyText(a.trackingNo)}>
            {S.copy}
          </button>
        </div>
      </Card>
      <Card>
        <div className="fq-kv">
          <span>{A.service}</span>
          <strong>{a.serviceName}</strong>
        </div>
        <div className="fq-kv">
          <span>{A.time}</span>
          <strong>
            {fmtDate(a.slotStart)} {fmtTime(a.slotStart)}–{fmtTime(a.slotEnd)}
          </strong>
        </div>
        <div className="fq-kv">
          <span>{A.place}</span>
          <strong>
            {a.officeName}
            {a.officeAddress ? <div className="fq-small fq-muted">{a.officeAddress}</div> : null}
          </strong>
        </div>
        <Docs docs={a.requiredDocs} />
        <p className="fq-small fq-muted">{A.smsNote}</p>
      </Card>
      <div className="fq-actions">
        <Link to="/me?tab=appointments" className="fq-btn-link is-primary">
          {S.result.toProgress}
        </Link>
        <a href={`/q/${token}`} className="fq-btn-link">
          {S.result.toPlate}
        </a>
      </div>
    </div>
  );
}

export default function Appointments() {
  const plate = usePlate();
  const [params, setParams] = useSearchParams();
  const load = useCallback(() => get<Service[]>(`/portal/plates/${encodeURIComponent(plate.token)}/services`, undefined, { quiet401: true }), [plate.token]);
  const { data: services, error, reload } = useLoad(load);
  const [booked, setBooked] = useState<Appointment | null>(null);
  const [round, setRound] = useState(0);

  const serviceId = params.get('service');
  const service = services?.find((s) => s.id === serviceId) ?? null;
  const slot = params.get('slot');
  const confirming = !!service && !!slot && params.get('step') === 'confirm';

  let body: ReactNode;
  if (booked) body = <Booked a={booked} token={plate.token} />;
  else if (error) body = <ErrorState error={error} onRetry={reload} />;
  else if (!services) body = <Loading />;
  else if (!service) body = <ServiceList services={services.filter((s) => s.status !== 'inactive')} onPick={(s) => setParams({ service: s.id })} />;
  else if (confirming)
    body = (
      <RequireResident>
        <Confirm
          service={service}
          slot={slot}
          onBooked={(a) => {
            setBooked(a);
            window.scrollTo(0, 0);
          }}
          onFull={() => {
            // back to the slots, fetched anew
            setRound((r) => r + 1);
            setParams({ service: service.id, ...(params.get('date') ? { date: params.get('date')! } : {}) }, { replace: true });
          }}
        />
      </RequireResident>
    );
  else
    body = (
      <>
        <ServiceSummary
          service={service}
          extra={
            <button type="button" className="fq-link-btn" onClick={() => setParams({})} data-testid="change-service">
              {A.changeService}
            </button>
          }
        />
        <SlotPicker key={`${service.id}-${round}`} service={service} />
      </>
    );

  return (
    <Screen title={A.title} back={`/p/${plate.token}`} testId="appointments-page">
      <PlateCard />
      {body}
    </Screen>
  );
}

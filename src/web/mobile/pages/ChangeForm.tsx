// 登记变更: new person (ID check digit checked as typed), move-out, person details, housing, new unit, unit details.
// A change carries the version of the record the worker saw (baseVersion), so that a change made meanwhile by
// someone else becomes a conflict for the officer instead of being overwritten. Saved to the outbox; a rejected
// change reopens here with the server's messages.
import { useEffect, useMemo, useState } from 'react';
import { Button } from 'antd-mobile';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import type { AddressRecord } from '../api';
import { enqueue, getOp, resend, useApp } from '../data/app';
import { cachedRecord, recordFromPack } from '../data/record';
import { ChoiceInput, DateInput, IdInput, NumberInput, PhoneInput, TextInput, YesNoInput } from '../components/fields';
import { EmptyState, Loading, Screen } from '../components/ui';
import { isDate, cleanPhone, idProblem, MOBILE_RE } from '../lib/validate';
import { newClientId, shortAddress, todayCst, toast } from '../lib/util';
import type { ChangeKind, ChangeOp, FieldErr, OutboxEntry } from '../sync/engine';
import { HOUSING_USES, KEY_INDUSTRIES, PERSON_TYPES, PROPERTY_TYPES, RELATIONS, RENTAL_REGISTRATIONS, S, SEXES, UNIT_STATUSES, UNIT_TYPES } from '../strings';

const F = S.change.fields;
const KINDS: ChangeKind[] = ['person_add', 'person_update', 'move_out', 'housing_update', 'unit_add', 'unit_update'];

type Kind = 'text' | 'id' | 'phone' | 'date' | 'choice' | 'yesno' | 'int' | 'decimal';

interface Spec {
  key: string;
  label: string;
  kind: Kind;
  options?: Array<[string, string]>;
  required?: boolean;
  max?: number;
  notFuture?: boolean;
  /** Shown only when this holds. */
  when?: (v: Record<string, unknown>) => boolean;
  columns?: number;
}

const SPECS: Record<ChangeKind, Spec[]> = {
  person_add: [
    { key: 'name', label: F.name, kind: 'text', required: true, max: 50 },
    { key: 'idNumber', label: F.idNumber, kind: 'id', required: true },
    { key: 'sex', label: F.sex, kind: 'choice', options: SEXES, columns: 2 },
    { key: 'phone', label: F.phone, kind: 'phone' },
    { key: 'personType', label: F.personType, kind: 'choice', options: PERSON_TYPES, required: true },
    { key: 'relation', label: F.relation, kind: 'choice', options: RELATIONS, required: true, columns: 4 },
    { key: 'fromDate', label: F.fromDate, kind: 'date', required: true, notFuture: true },
    { key: 'hukouAddress', label: F.hukouAddress, kind: 'text', max: 200 },
    { key: 'expectedStayUntil', label: F.expectedStayUntil, kind: 'date', when: (v) => v.personType !== 'registered' },
  ],
  person_update: [
    { key: 'name', label: F.name, kind: 'text', max: 50 },
    { key: 'phone', label: F.phone, kind: 'phone' },
    { key: 'personType', label: F.personType, kind: 'choice', options: PERSON_TYPES },
    { key: 'hukouAddress', label: F.hukouAddress, kind: 'text', max: 200 },
    { key: 'expectedStayUntil', label: F.expectedStayUntil, kind: 'date' },
  ],
  move_out: [{ key: 'toDate', label: S.change.toDate, kind: 'date', required: true, notFuture: true }],
  housing_update: [
    { key: 'use', label: F.use, kind: 'choice', options: HOUSING_USES, columns: 4 },
    { key: 'propertyType', label: F.propertyType, kind: 'choice', options: PROPERTY_TYPES },
    { key: 'ownerName', label: F.ownerName, kind: 'text', max: 50 },
    { key: 'ownerPhone', label: F.ownerPhone, kind: 'phone' },
    { key: 'rooms', label: F.rooms, kind: 'int' },
    { key: 'areaM2', label: F.areaM2, kind: 'decimal' },
    { key: 'groupRental', label: F.groupRental, kind: 'yesno', when: (v) => v.use === 'rent' },
    { key: 'rentalRegistration', label: F.rentalRegistration, kind: 'choice', options: RENTAL_REGISTRATIONS, when: (v) => v.use === 'rent' },
    { key: 'leaseFrom', label: F.leaseFrom, kind: 'date', when: (v) => v.use === 'rent' },
    { key: 'leaseTo', label: F.leaseTo, kind: 'date', when: (v) => v.use === 'rent' },
  ],
  unit_add: [
    { key: 'name', label: F.unitName, kind: 'text', required: true, max: 100 },
    { key: 'unitType', label: F.unitType, kind: 'choice', options: UNIT_TYPES, required: true },
    { key: 'creditCode', label: F.creditCode, kind: 'text', max: 18 },
    { key: 'keyIndustry', label: F.keyIndustry, kind: 'choice', options: KEY_INDUSTRIES },
    { key: 'contactName', label: F.contactName, kind: 'text', max: 50 },
    { key: 'contactPhone', label: F.contactPhone, kind: 'phone' },
    { key: 'legalRepName', label: F.legalRepName, kind: 'text', max: 50 },
  ],
  unit_update: [
    { key: 'name', label: F.unitName, kind: 'text', max: 100 },
    { key: 'unitType', label: F.unitType, kind: 'choice', options: UNIT_TYPES },
    { key: 'keyIndustry', label: F.keyIndustry, kind: 'choice', options: KEY_INDUSTRIES },
    { key: 'contactName', label: F.contactName, kind: 'text', max: 50 },
    { key: 'contactPhone', label: F.contactPhone, kind: 'phone' },
    { key: 'status', label: F.status, kind: 'choice', options: UNIT_STATUSES, columns: 2 },
  ],
};

const empty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function check(spec: Spec, v: unknown): string | null {
  if (empty(v)) return spec.required ? S.form.requiredMsg(spec.label) : null;
  const s = typeof v === 'string' ? v.trim() : v;
  switch (spec.kind) {
    case 'text':
      return spec.max && String(s).length > spec.max ? S.form.tooLong(spec.max) : null;
    case 'id': {
      const p = idProblem(String(s));
      return p ? `${spec.label}${p}` : null;
    }
    case 'phone':
      return MOBILE_RE.test(cleanPhone(String(s))) ? null : S.form.mobileInvalid;
    case 'date':
      if (!isDate(String(s))) return S.form.dateInvalid;
      return spec.notFuture && String(s) > todayCst() ? S.form.future : null;
    case 'int':
      return /^\d{1,4}$/.test(String(s)) ? null : S.form.numberInvalid;
    case 'decimal':
      return /^\d{1,6}(\.\d{1,2})?$/.test(String(s)) ? null : S.form.numberInvalid;
    default:
      return null;
  }
}

/** The value as the server wants it. */
function toData(spec: Spec, v: unknown): unknown {
  if (spec.kind === 'int' || spec.kind === 'decimal') return Number(v);
  if (spec.kind === 'phone') return cleanPhone(String(v));
  if (typeof v === 'string') return v.trim();
  return v;
}

interface Target {
  initial: Record<string, unknown>;
  targetId?: string;
  baseVersion?: string;
  who?: string;
  missing?: boolean;
}

function targetOf(kind: ChangeKind, rec: AddressRecord | null, targetId: string | null): Target {
  if (!rec) return { initial: {} };
  switch (kind) {
    case 'person_add':
      return { initial: { personType: 'floating', relation: 'tenant', fromDate: todayCst() } };
    case 'move_out': {
      const r = rec.residents.find((x) => x.residenceId === targetId);
      return r ? { initial: { toDate: todayCst() }, targetId: r.residenceId, who: r.name } : { initial: {}, missing: true };
    }
    case 'person_update': {
      const r = rec.residents.find((x) => x.personId === targetId);
      return r
        ? { initial: { name: r.name, personType: r.personType, expectedStayUntil: r.expectedStayUntil ?? '' }, targetId: r.personId, baseVersion: r.version, who: r.name }
        : { initial: {}, missing: true };
    }
    case 'housing_update': {
      const h = rec.housing;
      if (!h) return { initial: {} };
      return {
        initial: {
          use: h.use ?? '',
          propertyType: h.propertyType ?? '',
          ownerName: h.ownerName ?? '',
          rooms: h.rooms == null ? '' : String(h.rooms),
          areaM2: h.areaM2 == null ? '' : String(h.areaM2),
          groupRental: h.groupRental ?? undefined,
          rentalRegistration: h.rentalRegistration ?? '',
          leaseFrom: h.leaseFrom ?? '',
          leaseTo: h.leaseTo ?? '',
        },
        baseVersion: h.version,
      };
    }
    case 'unit_add':
      return { initial: {} };
    case 'unit_update': {
      const u = rec.units.find((x) => x.id === targetId);
      return u
        ? { initial: { name: u.name, unitType: u.unitType ?? '', keyIndustry: u.keyIndustry ?? '', contactName: u.contactName ?? '', status: u.status }, targetId: u.id, baseVersion: u.version, who: u.name }
        : { initial: {}, missing: true };
    }
  }
}

export default function ChangeForm() {
  const params = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const pack = useApp((s) => s.pack);

  const editId = params.clientId;
  const [entry, setEntry] = useState<OutboxEntry | null | undefined>(editId ? undefined : null);
  const editOp = entry?.op.op === 'change' ? (entry.op as ChangeOp) : null;
  const kind = (editOp?.kind ?? params.kind) as ChangeKind;
  const addressId = editOp?.addressId ?? params.id ?? '';
  const rec = useMemo(() => cachedRecord(addressId) ?? (pack ? recordFromPack(pack, addressId) : null), [addressId, pack]);
  const target = useMemo(() => targetOf(kind, rec, editOp?.targetId ?? search.get('target')), [kind, rec, editOp, search]);

  const [values, setValues] = useState<Record<string, unknown>>(target.initial);
  const [touched, setTouched] = useState<Record<string, true>>({});
  const [showAll, setShowAll] = useState(false);
  const [server, setServer] = useState<FieldErr[]>([]);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!editId) return;
    void getOp(editId).then((e) => {
      setEntry(e ?? null);
      if (e?.op.op !== 'change') return;
      setValues({ ...Object.fromEntries(Object.entries(e.op.data).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v])) });
      setNote(e.op.note ?? '');
      setServer(e.errors);
      setShowAll(true);
    });
  }, [editId]);

  if (editId && entry === undefined) return <Loading />;
  if (!KINDS.includes(kind) || (editId && entry === null)) {
    return (
      <Screen title={S.appName} back="/outbox">
        <EmptyState title={S.notFoundTitle} />
      </Screen>
    );
  }
  if (!editOp && target.missing) {
    return (
      <Screen title={S.change[kind]} back={`/a/${addressId}`}>
        <EmptyState title={S.record.notFound} hint={S.record.notFoundHint} />
      </Screen>
    );
  }

  const specs = SPECS[kind].filter((s) => !s.when || s.when(values));
  const errorOf = (key: string) => {
    const spec = specs.find((s) => s.key === key)!;
    const local = showAll || touched[key] ? check(spec, values[key]) : null;
    return local ?? server.find((e) => e.field === `data.${key}`)?.message ?? null;
  };

  /** What goes to the server: everything filled for an addition, only what differs for an update. */
  const build = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const isUpdate = kind.endsWith('_update');
    for (const s of specs) {
      const v = values[s.key];
      if (empty(v)) continue;
      if (isUpdate && !editOp && String(v) === String(target.initial[s.key] ?? '')) continue;
      out[s.key] = toData(s, v);
    }
    return out;
  };

  async function save() {
    setShowAll(true);
    const problems = specs.map((s) => check(s, values[s.key])).filter(Boolean);
    const data = build();
    if (problems.length) {
      toast(S.item.fixErrors);
      requestAnimationFrame(() => document.querySelector('.fq-field.has-error')?.scrollIntoView({ block: 'center', behavior: 'smooth' }));
      return;
    }
    if (Object.keys(data).length === 0) {
      toast(S.change.unchanged);
      return;
    }
    setSaving(true);
    try {
      const clientId = entry?.clientId ?? newClientId();
      const op: ChangeOp = {
        op: 'change',
        clientId,
        kind,
        addressId,
        ...((editOp?.targetId ?? target.targetId) ? { targetId: editOp?.targetId ?? target.targetId } : {}),
        ...((editOp ? editOp.baseVersion : target.baseVersion) ? { baseVersion: editOp ? editOp.baseVersion : target.baseVersion } : {}),
        data,
        ...(note.trim() ? { note: note.trim() } : {}),
        occurredAt: editOp && !server.some((e) => e.field === 'occurredAt') ? editOp.occurredAt : new Date().toISOString(),
      };
      const who = (data.name as string | undefined) ?? target.who ?? (rec ? shortAddress(rec.address.fullText) : '');
      const title = `${S.change[kind]}${who ? ` · ${who}` : ''}`;
      if (entry) await resend(clientId, op, title, []);
      else await enqueue(op, title, []);
      toast(navigator.onLine ? S.item.savedOnline : S.item.saved, 'success');
      navigate(entry ? '/outbox' : `/a/${addressId}`, { replace: true });
    } finally {
      setSaving(false);
    }
  }

  const formServer = server.filter((e) => !e.field.startsWith('data.'));
  const set = (key: string, v: unknown) => {
    setValues((prev) => ({ ...prev, [key]: v }));
    setServer((prev) => prev.filter((e) => e.field !== `data.${key}`));
  };
  const blur = (key: string) => () => setTouched((t) => ({ ...t, [key]: true }));
  const isUpdate = kind.endsWith('_update');

  return (
    <Screen title={S.change[kind]} back={entry ? '/outbox' : `/a/${addressId}`} testId="change-form">
      <form
        className="fq-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!saving) void save();
        }}
      >
        <p className="fq-intro">
          {rec ? shortAddress(rec.address.fullText) : ''}
          {target.who && kind === 'move_out' ? ` · ${S.change.moveOutOf(target.who)}` : target.who ? ` · ${target.who}` : ''}
          <br />
          {S.change.intro}
          {isUpdate ? ` ${S.change.baseVersion}` : ''}
        </p>
        {entry && server.length ? (
          <div className="fq-notice is-error fq-block-notice" role="alert" data-testid="server-errors">
            <strong>{S.item.serverErrors}</strong>
            {formServer.map((e) => (
              <div key={`${e.field}:${e.message}`}>{e.message}</div>
            ))}
          </div>
        ) : null}
        <section className="fq-section" data-testid="change-fields">
          {specs.map((s) => {
            const common = {
              path: `data.${s.key}`,
              label: s.label,
              value: values[s.key],
              onChange: (v: unknown) => set(s.key, v),
              onBlur: blur(s.key),
              required: s.required,
              error: errorOf(s.key),
              help: isUpdate && (s.kind === 'phone' || s.key === 'hukouAddress') ? S.change.keepBlank : undefined,
            };
            switch (s.kind) {
              case 'id':
                return <IdInput key={s.key} {...common} />;
              case 'phone':
                return <PhoneInput key={s.key} {...common} />;
              case 'date':
                return <DateInput key={s.key} {...common} max={s.notFuture ? 'today' : undefined} />;
              case 'choice':
                return <ChoiceInput key={s.key} {...common} options={s.options ?? []} columns={s.columns} />;
              case 'yesno':
                return <YesNoInput key={s.key} {...common} />;
              case 'int':
                return <NumberInput key={s.key} {...common} />;
              case 'decimal':
                return <NumberInput key={s.key} {...common} decimal />;
              default:
                return <TextInput key={s.key} {...common} maxLength={s.max} />;
            }
          })}
          <TextInput path="note" label={S.item.note} value={note} onChange={(v) => setNote(String(v))} maxLength={500} placeholder={S.item.notePlaceholder} />
        </section>
        <div className="fq-submit-bar">
          <Button block color="primary" size="large" type="submit" loading={saving} data-testid="change-save">
            {entry ? S.item.resend : S.item.save}
          </Button>
        </div>
      </form>
    </Screen>
  );
}

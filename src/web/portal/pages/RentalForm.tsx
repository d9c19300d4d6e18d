// /m/p/:token/rental — 出租屋报备: the owner, the lease and its tenants (1–20).
import { Button } from 'antd-mobile';
import { DateField, IdField, NumberField, PhoneField, SwitchField, TextField } from '../components/fields';
import { FormShell, Section } from '../components/formshell';
import { PlateFormPage } from '../components/plate';
import { useForm, type Errors } from '../lib/form';
import { clean, editorDraftKey, useSubmitter, type EditorProps } from '../lib/submit';
import { newClientId } from '../lib/util';
import { cleanPhone, dateError, idError, normalizeId, phoneError, textError } from '../lib/validate';
import { sessionPhone } from '../session';
import { S } from '../strings';

const R = S.rental;
const MAX_TENANTS = 20;

interface Tenant {
  key: string;
  name: string;
  idNumber: string;
  phone: string;
  hukouAddress: string;
}
interface Values {
  owner: { name: string; idNumber: string; phone: string };
  leaseFrom: string;
  leaseTo: string;
  rooms: string;
  areaM2: string;
  groupRental: boolean;
  tenants: Tenant[];
}

const newTenant = (): Tenant => ({ key: newClientId(), name: '', idNumber: '', phone: '', hukouAddress: '' });

function validate(v: Values): Errors {
  const e: Errors = {
    'owner.name': textError(v.owner.name, R.ownerName, { required: true, max: 50 }),
    'owner.idNumber': idError(v.owner.idNumber),
    'owner.phone': phoneError(v.owner.phone, true),
    leaseFrom: dateError(v.leaseFrom, R.leaseFrom, true),
    leaseTo: dateError(v.leaseTo, R.leaseTo, true),
  };
  if (!e.leaseFrom && !e.leaseTo && v.leaseTo <= v.leaseFrom) e.leaseTo = R.leaseOrder;
  if (v.rooms && !(/^\d+$/.test(v.rooms) && Number(v.rooms) >= 1 && Number(v.rooms) <= 99)) e.rooms = '出租间数应为 1–99 的整数';
  if (v.areaM2 && !(/^\d+(\.\d{1,2})?$/.test(v.areaM2) && Number(v.areaM2) > 0 && Number(v.areaM2) <= 10000)) e.areaM2 = '面积应为 0–10000 的数字';
  if (v.tenants.length < 1) e.tenants = R.tenantsMin;
  if (v.tenants.length > MAX_TENANTS) e.tenants = R.tenantsMax;
  const seen = new Set<string>();
  if (!e['owner.idNumber']) seen.add(normalizeId(v.owner.idNumber));
  v.tenants.forEach((t, i) => {
    const p = `tenants.${i}.`;
    e[`${p}name`] = textError(t.name, R.tenantName, { required: true, max: 50 });
    const idErr = idError(t.idNumber);
    const id = normalizeId(t.idNumber);
    e[`${p}idNumber`] = idErr ?? (seen.has(id) ? S.id.duplicate : null);
    if (!idErr) seen.add(id);
    e[`${p}phone`] = phoneError(t.phone, false);
    e[`${p}hukouAddress`] = textError(t.hukouAddress, R.tenantHukou, { max: 200 });
  });
  return e;
}

function build(v: Values) {
  return {
    owner: { name: v.owner.name.trim(), idNumber: normalizeId(v.owner.idNumber), phone: cleanPhone(v.owner.phone) },
    leaseFrom: v.leaseFrom,
    leaseTo: v.leaseTo,
    ...(v.rooms ? { rooms: Number(v.rooms) } : {}),
    ...(v.areaM2 ? { areaM2: Number(v.areaM2) } : {}),
    groupRental: v.groupRental,
    tenants: v.tenants.map((t) =>
      clean({ name: t.name, idNumber: normalizeId(t.idNumber), phone: cleanPhone(t.phone), hukouAddress: t.hukouAddress }),
    ),
  };
}

function initialOf(data: Record<string, unknown> | undefined): Values {
  const s = (x: unknown) => (x === undefined || x === null ? '' : String(x));
  const owner = (data?.owner ?? {}) as Record<string, unknown>;
  const tenants = Array.isArray(data?.tenants) ? (data.tenants as Array<Record<string, unknown>>) : [];
  return {
    owner: { name: s(owner.name), idNumber: '', phone: s(owner.phone) || (data ? '' : sessionPhone()) },
    leaseFrom: s(data?.leaseFrom),
    leaseTo: s(data?.leaseTo),
    rooms: s(data?.rooms),
    areaM2: s(data?.areaM2),
    groupRental: data?.groupRental === true,
    tenants: tenants.length
      ? tenants.map((t) => ({ key: newClientId(), name: s(t.name), idNumber: '', phone: s(t.phone), hukouAddress: s(t.hukouAddress) }))
      : [newTenant()],
  };
}

export function RentalEditor(props: EditorProps) {
  const f = useForm<Values>({ initial: initialOf(props.edit?.data), validate, draftKey: editorDraftKey('rental', props) });
  const submit = useSubmitter('rental', props, f, build);
  const tenants = f.values.tenants;
  const tenantsError = f.errorOf('tenants');
  return (
    <FormShell
      f={f}
      onSubmit={submit}
      intro={props.edit ? undefined : R.intro}
      notice={props.edit ? <div className="fq-notice is-info">{S.form.idReenter}</div> : null}
      submitLabel={props.edit ? S.save : S.submit}
      testId="rental-form"
    >
      <Section title={R.sectionOwner}>
        <TextField f={f} path="owner.name" label={R.ownerName} required maxLength={50} />
        <IdField f={f} path="owner.idNumber" label={R.ownerId} required />
        <PhoneField f={f} path="owner.phone" label={R.ownerPhone} required />
      </Section>
      <Section title={R.sectionLease}>
        <DateField f={f} path="leaseFrom" label={R.leaseFrom} required />
        <DateField f={f} path="leaseTo" label={R.leaseTo} required min={f.values.leaseFrom || undefined} />
        <NumberField f={f} path="rooms" label={R.rooms} maxLength={2} />
        <NumberField f={f} path="areaM2" label={R.area} decimal maxLength={8} />
        <SwitchField f={f} path="groupRental" label={R.groupRental} />
      </Section>
      <Section title={`${R.sectionTenants}（${tenants.length}）`} testId="tenants">
        {tenants.map((t, i) => (
          <div key={t.key} className="fq-subcard" data-testid={`tenant-${i}`}>
            <div className="fq-subcard-head">
              <span className="fq-strong">{R.tenant(i + 1)}</span>
              {tenants.length > 1 ? (
                <button
                  type="button"
                  className="fq-link-btn is-danger"
                  onClick={() => f.replace('tenants', tenants.filter((x) => x.key !== t.key))}
                  data-testid={`tenant-remove-${i}`}
                >
                  {R.removeTenant}
                </button>
              ) : null}
            </div>
            <TextField f={f} path={`tenants.${i}.name`} label={R.tenantName} required maxLength={50} />
            <IdField f={f} path={`tenants.${i}.idNumber`} label={R.tenantId} required />
            <PhoneField f={f} path={`tenants.${i}.phone`} label={R.tenantPhone} />
            <TextField f={f} path={`tenants.${i}.hukouAddress`} label={R.tenantHukou} maxLength={200} />
          </div>
        ))}
        <div className={`fq-field${tenantsError ? ' has-error' : ''}`} data-path="tenants">
          {tenantsError ? (
            <div className="fq-error" role="alert">
              {tenantsError}
            </div>
          ) : null}
        </div>
        <Button
          block
          fill="outline"
          color="primary"
          disabled={tenants.length >= MAX_TENANTS}
          onClick={() => f.replace('tenants', [...tenants, newTenant()])}
          data-testid="tenant-add"
        >
          {tenants.length >= MAX_TENANTS ? R.tenantsMax : `＋ ${R.addTenant}`}
        </Button>
      </Section>
    </FormShell>
  );
}

export default function RentalForm() {
  return <PlateFormPage title={R.title} testId="rental-page" Editor={RentalEditor} />;
}

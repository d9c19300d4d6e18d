// /m/p/:token/residence — 流动人口报备.
import { ChoiceField, DateField, IdField, PhoneField, TextField } from '../components/fields';
import { FormShell, Section } from '../components/formshell';
import { PlateFormPage } from '../components/plate';
import { useForm, type Errors } from '../lib/form';
import { clean, editorDraftKey, fromData, useSubmitter, type EditorProps } from '../lib/submit';
import { birthDateOf, cleanPhone, dateError, idError, normalizeId, phoneError, textError, todayCst } from '../lib/validate';
import { sessionPhone } from '../session';
import { S } from '../strings';

const R = S.residence;
const KEYS = ['name', 'idNumber', 'phone', 'hukouAddress', 'reason', 'reasonNote', 'arrivalDate', 'expectedStayUntil', 'relation', 'landlordName', 'landlordPhone'] as const;
type Values = Record<(typeof KEYS)[number], string>;

function validate(v: Values): Errors {
  const e: Errors = {
    name: textError(v.name, R.name, { required: true, max: 50 }),
    idNumber: idError(v.idNumber),
    phone: phoneError(v.phone, true),
    hukouAddress: textError(v.hukouAddress, R.hukouAddress, { required: true, max: 200 }),
    reason: v.reason ? null : S.form.chooseMsg(R.reason),
    reasonNote: v.reason === 'other' ? textError(v.reasonNote, R.reasonNote, { required: true, max: 200 }) : textError(v.reasonNote, R.reasonNote, { max: 200 }),
    arrivalDate: dateError(v.arrivalDate, R.arrivalDate, true),
    expectedStayUntil: dateError(v.expectedStayUntil, R.expectedStayUntil, true),
    relation: v.relation ? null : S.form.chooseMsg(R.relation),
    landlordName: textError(v.landlordName, R.landlordName, { max: 50 }),
    landlordPhone: phoneError(v.landlordPhone, false),
  };
  if (!e.arrivalDate) {
    if (v.arrivalDate > todayCst()) e.arrivalDate = R.arrivalFuture;
    else {
      const birth = birthDateOf(v.idNumber);
      if (birth && !idError(v.idNumber) && v.arrivalDate < birth) e.arrivalDate = R.arrivalBeforeBirth;
    }
  }
  if (!e.expectedStayUntil && v.arrivalDate && v.expectedStayUntil <= v.arrivalDate) e.expectedStayUntil = R.stayAfterArrival;
  return e;
}

function build(v: Values) {
  return clean({
    ...v,
    idNumber: normalizeId(v.idNumber),
    phone: cleanPhone(v.phone),
    landlordPhone: cleanPhone(v.landlordPhone),
    reasonNote: v.reasonNote,
  });
}

export function ResidenceEditor(props: EditorProps) {
  const initial = { ...fromData(props.edit?.data, [...KEYS]) } as Values;
  if (!initial.phone) initial.phone = sessionPhone();
  const f = useForm<Values>({ initial, validate, draftKey: editorDraftKey('residence', props) });
  const submit = useSubmitter('residence', props, f, build);
  return (
    <FormShell
      f={f}
      onSubmit={submit}
      intro={props.edit ? undefined : R.intro}
      notice={props.edit ? <div className="fq-notice is-info">{S.form.idReenter}</div> : null}
      submitLabel={props.edit ? S.save : S.submit}
      testId="residence-form"
    >
      <Section title={R.sectionPerson}>
        <TextField f={f} path="name" label={R.name} required maxLength={50} autoComplete="name" />
        <IdField f={f} path="idNumber" label={R.idNumber} required />
        <PhoneField f={f} path="phone" label={R.phone} required />
        <TextField f={f} path="hukouAddress" label={R.hukouAddress} required maxLength={200} placeholder={R.hukouPlaceholder} />
      </Section>
      <Section title={R.sectionStay}>
        <ChoiceField f={f} path="reason" label={R.reason} required options={S.reasons} />
        <TextField
          f={f}
          path="reasonNote"
          label={R.reasonNote}
          required={f.values.reason === 'other'}
          maxLength={200}
          placeholder={R.reasonNotePlaceholder}
        />
        <DateField f={f} path="arrivalDate" label={R.arrivalDate} required max="today" />
        <DateField f={f} path="expectedStayUntil" label={R.expectedStayUntil} required min={f.values.arrivalDate || undefined} />
        <ChoiceField f={f} path="relation" label={R.relation} required options={S.relations} />
      </Section>
      <Section title={R.sectionLandlord}>
        <TextField f={f} path="landlordName" label={R.landlordName} maxLength={50} />
        <PhoneField f={f} path="landlordPhone" label={R.landlordPhone} />
      </Section>
    </FormShell>
  );
}

export default function ResidenceForm() {
  return <PlateFormPage title={R.title} testId="residence-page" Editor={ResidenceEditor} />;
}

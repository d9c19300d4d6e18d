// /m/p/:token/ebike — 电动自行车登记.
import { DateField, IdField, PhoneField, TextField } from '../components/fields';
import { FormShell, Section } from '../components/formshell';
import { PlateFormPage } from '../components/plate';
import { useForm, type Errors } from '../lib/form';
import { clean, editorDraftKey, fromData, useSubmitter, type EditorProps } from '../lib/submit';
import { cleanPhone, dateError, idError, normalizeId, phoneError, textError, todayCst } from '../lib/validate';
import { sessionPhone } from '../session';
import { S } from '../strings';

const E = S.ebike;
const KEYS = ['ownerName', 'idNumber', 'phone', 'brand', 'model', 'color', 'frameNo', 'motorNo', 'purchaseDate', 'certificateNo'] as const;
type Values = Record<(typeof KEYS)[number], string>;

const upperAlnum = (s: string) => s.replace(/[^0-9a-z]/gi, '').toUpperCase();

function validate(v: Values): Errors {
  const e: Errors = {
    ownerName: textError(v.ownerName, E.ownerName, { required: true, max: 50 }),
    idNumber: idError(v.idNumber),
    phone: phoneError(v.phone, true),
    brand: textError(v.brand, E.brand, { required: true, max: 50 }),
    model: textError(v.model, E.model, { max: 50 }),
    color: textError(v.color, E.color, { required: true, max: 20 }),
    frameNo: v.frameNo ? (/^[0-9A-Z]{6,30}$/.test(v.frameNo) ? null : E.frameNoInvalid) : S.form.requiredMsg(E.frameNo),
    motorNo: textError(v.motorNo, E.motorNo, { max: 30 }),
    purchaseDate: dateError(v.purchaseDate, E.purchaseDate, false),
    certificateNo: textError(v.certificateNo, E.certificateNo, { max: 50 }),
  };
  if (!e.purchaseDate && v.purchaseDate && v.purchaseDate > todayCst()) e.purchaseDate = E.purchaseFuture;
  return e;
}

const build = (v: Values) => clean({ ...v, idNumber: normalizeId(v.idNumber), phone: cleanPhone(v.phone) });

export function EbikeEditor(props: EditorProps) {
  const initial = fromData(props.edit?.data, [...KEYS]) as Values;
  if (!initial.phone && !props.edit) initial.phone = sessionPhone();
  const f = useForm<Values>({ initial, validate, draftKey: editorDraftKey('ebike', props) });
  const submit = useSubmitter('ebike', props, f, build);
  return (
    <FormShell
      f={f}
      onSubmit={submit}
      intro={props.edit ? undefined : E.intro}
      notice={props.edit ? <div className="fq-notice is-info">{S.form.idReenter}</div> : null}
      submitLabel={props.edit ? S.save : S.submit}
      testId="ebike-form"
    >
      <Section title={E.sectionOwner}>
        <TextField f={f} path="ownerName" label={E.ownerName} required maxLength={50} />
        <IdField f={f} path="idNumber" label={E.idNumber} required />
        <PhoneField f={f} path="phone" label={E.phone} required />
      </Section>
      <Section title={E.sectionBike}>
        <TextField f={f} path="brand" label={E.brand} required maxLength={50} placeholder="例如 雅迪" />
        <TextField f={f} path="model" label={E.model} maxLength={50} />
        <TextField f={f} path="color" label={E.color} required maxLength={20} placeholder="例如 白色" />
        <TextField f={f} path="frameNo" label={E.frameNo} required maxLength={30} normalize={upperAlnum} help="车架上或合格证上的车架号" />
        <TextField f={f} path="motorNo" label={E.motorNo} maxLength={30} normalize={upperAlnum} />
        <DateField f={f} path="purchaseDate" label={E.purchaseDate} max="today" />
        <TextField f={f} path="certificateNo" label={E.certificateNo} maxLength={50} />
      </Section>
    </FormShell>
  );
}

export default function EbikeForm() {
  return <PlateFormPage title={E.title} testId="ebike-page" Editor={EbikeEditor} />;
}

// /m/p/:token/mediation — 矛盾纠纷调解申请: the dispute, the applicant(s) and the respondent(s).
import { useRef } from 'react';
import { Button } from 'antd-mobile';
import { AreaField, ChoiceField, IdField, PhoneField, TextField } from '../components/fields';
import { FormShell, Section } from '../components/formshell';
import { PlateFormPage } from '../components/plate';
import { useForm, type Errors, type Form } from '../lib/form';
import { clean, editorDraftKey, useSubmitter, type EditorProps } from '../lib/submit';
import { newClientId } from '../lib/util';
import { cleanPhone, idError, normalizeId, phoneError, textError } from '../lib/validate';
import { sessionPhone } from '../session';
import { S } from '../strings';

const M = S.mediation;
const MAX_PARTIES = 10;

interface Party {
  key: string;
  name: string;
  phone: string;
  idNumber: string;
}
interface Values {
  category: string;
  description: string;
  applicants: Party[];
  respondents: Party[];
  desiredOutcome: string;
}
type Side = 'applicants' | 'respondents';

const newParty = (phone = ''): Party => ({ key: newClientId(), name: '', phone, idNumber: '' });

function validate(v: Values): Errors {
  const e: Errors = {
    category: v.category ? null : S.form.chooseMsg(M.category),
    description: textError(v.description, M.description, { required: true, min: 10, max: 2000 }),
    desiredOutcome: textError(v.desiredOutcome, M.desiredOutcome, { max: 500 }),
    respondents: v.respondents.length ? null : M.needRespondent,
  };
  for (const side of ['applicants', 'respondents'] as Side[]) {
    v[side].forEach((p, i) => {
      e[`${side}.${i}.name`] = textError(p.name, M.partyName, { required: true, max: 50 });
      e[`${side}.${i}.phone`] = phoneError(p.phone, false);
      e[`${side}.${i}.idNumber`] = p.idNumber ? idError(p.idNumber) : null;
    });
  }
  return e;
}

function build(v: Values) {
  const party = (role: string) => (p: Party) =>
    ({ role, ...clean({ name: p.name, phone: cleanPhone(p.phone), idNumber: normalizeId(p.idNumber) }) });
  return {
    ...clean({ category: v.category, description: v.description, desiredOutcome: v.desiredOutcome }),
    parties: [...v.applicants.map(party('applicant')), ...v.respondents.map(party('respondent'))],
  };
}

function initialOf(data: Record<string, unknown> | undefined): Values {
  const s = (x: unknown) => (x === undefined || x === null ? '' : String(x));
  const parties = Array.isArray(data?.parties) ? (data.parties as Array<Record<string, unknown>>) : [];
  const of = (role: string) =>
    parties.filter((p) => p.role === role).map((p) => ({ key: newClientId(), name: s(p.name), phone: s(p.phone), idNumber: '' }));
  const applicants = of('applicant');
  const respondents = of('respondent');
  return {
    category: s(data?.category),
    description: s(data?.description),
    applicants: applicants.length ? applicants : [newParty(data ? '' : sessionPhone())],
    respondents: respondents.length ? respondents : [newParty()],
    desiredOutcome: s(data?.desiredOutcome),
  };
}

function Parties({ f, side }: { f: Form<Values>; side: Side }) {
  const list = f.values[side];
  const title = side === 'applicants' ? M.applicants : M.respondents;
  const min = 1;
  const sideError = f.errorOf(side);
  return (
    <Section title={`${title}（${list.length}）`} testId={side}>
      {list.map((p, i) => (
        <div key={p.key} className="fq-subcard" data-testid={`${side}-${i}`}>
          <div className="fq-subcard-head">
            <span className="fq-strong">{M.party(title, i + 1)}</span>
            {list.length > min ? (
              <button type="button" className="fq-link-btn is-danger" onClick={() => f.replace(side, list.filter((x) => x.key !== p.key))}>
                {M.remove}
              </button>
            ) : null}
          </div>
          <TextField f={f} path={`${side}.${i}.name`} label={M.partyName} required maxLength={50} />
          <PhoneField f={f} path={`${side}.${i}.phone`} label={M.partyPhone} />
          <IdField f={f} path={`${side}.${i}.idNumber`} label={M.partyId} placeholder={S.optional} />
        </div>
      ))}
      <div className={`fq-field${sideError ? ' has-error' : ''}`} data-path={side}>
        {sideError ? (
          <div className="fq-error" role="alert">
            {sideError}
          </div>
        ) : null}
      </div>
      <Button
        block
        fill="outline"
        color="primary"
        disabled={list.length >= MAX_PARTIES}
        onClick={() => f.replace(side, [...list, newParty()])}
        data-testid={`${side}-add`}
      >
        ＋ {side === 'applicants' ? M.addApplicant : M.addRespondent}
      </Button>
    </Section>
  );
}

export function MediationEditor(props: EditorProps) {
  const applicantCount = useRef(0);
  // the server names parties by their index in `parties` (applicants first)
  const mapField = (field: string) => {
    const m = /^data\.parties\.(\d+)(\..+)?$/.exec(field);
    if (m) {
      const i = Number(m[1]);
      const rest = m[2] ?? '';
      return i < applicantCount.current ? `applicants.${i}${rest}` : `respondents.${i - applicantCount.current}${rest}`;
    }
    return field === 'data.parties' ? 'respondents' : field.replace(/^data\./, '');
  };
  const f = useForm<Values>({ initial: initialOf(props.edit?.data), validate, draftKey: editorDraftKey('mediation', props), mapField });
  applicantCount.current = f.values.applicants.length;
  const submit = useSubmitter('mediation', props, f, build);
  return (
    <FormShell
      f={f}
      onSubmit={submit}
      intro={props.edit ? undefined : M.intro}
      notice={props.edit ? <div className="fq-notice is-info">{S.form.idReenter}</div> : null}
      submitLabel={props.edit ? S.save : S.submit}
      testId="mediation-form"
    >
      <Section title="纠纷情况">
        <ChoiceField f={f} path="category" label={M.category} required options={S.mediationCategories} columns={3} />
        <AreaField f={f} path="description" label={M.description} required maxLength={2000} placeholder={M.descriptionPlaceholder} />
      </Section>
      <Parties f={f} side="applicants" />
      <Parties f={f} side="respondents" />
      <Section title={M.desiredOutcome}>
        <AreaField f={f} path="desiredOutcome" label={M.desiredOutcome} maxLength={500} rows={3} placeholder={M.desiredPlaceholder} />
      </Section>
    </FormShell>
  );
}

export default function MediationForm() {
  return <PlateFormPage title={M.title} testId="mediation-page" Editor={MediationEditor} />;
}

// Form fields bound to a useForm() by dotted path: a label, the input, and the message under it.
import type { ReactNode } from 'react';
import { Input, Selector, Switch, TextArea } from 'antd-mobile';
import type { Form } from '../lib/form';
import { getIn } from '../lib/util';
import { idErrorWhileTyping, normalizeId, todayCst } from '../lib/validate';
import { S } from '../strings';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyForm = Form<any>;

const domId = (path: string) => `f-${path.replace(/\./g, '-')}`;
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export function Field(props: {
  path: string;
  label: ReactNode;
  required?: boolean;
  error?: string;
  help?: ReactNode;
  children: ReactNode;
  inline?: boolean;
  /** Show neither 必填 nor 选填 (a switch). */
  noMarker?: boolean;
}) {
  const id = domId(props.path);
  return (
    <div className={`fq-field${props.error ? ' has-error' : ''}${props.inline ? ' is-inline' : ''}`} data-path={props.path} data-testid={`field-${props.path}`}>
      <label className="fq-label" htmlFor={id}>
        {props.label}
        {props.noMarker ? null : props.required ? <span className="fq-req" aria-label={S.required}>*</span> : <span className="fq-opt">{S.optional}</span>}
      </label>
      <div className="fq-control">{props.children}</div>
      {props.error ? (
        <div className="fq-error" role="alert" id={`${id}-error`}>
          {props.error}
        </div>
      ) : props.help ? (
        <div className="fq-help">{props.help}</div>
      ) : null}
    </div>
  );
}

interface Common {
  f: AnyForm;
  path: string;
  label: ReactNode;
  required?: boolean;
  help?: ReactNode;
  placeholder?: string;
}

export function TextField(
  props: Common & {
    maxLength?: number;
    inputMode?: 'text' | 'numeric' | 'decimal' | 'tel';
    type?: string;
    autoComplete?: string;
    normalize?: (s: string) => string;
    /** A message to show while typing, before the field is left. */
    typingError?: (s: string) => string | null;
  },
) {
  const { f, path } = props;
  const value = str(getIn(f.values, path));
  const error = f.errorOf(path) ?? (props.typingError ? (props.typingError(value) ?? undefined) : undefined);
  const id = domId(path);
  return (
    <Field path={path} label={props.label} required={props.required} error={error} help={props.help}>
      <Input
        id={id}
        name={path}
        value={value}
        onChange={(v) => f.set(path, props.normalize ? props.normalize(v) : v)}
        onBlur={() => f.touch(path)}
        placeholder={props.placeholder ?? (props.required ? S.required : S.optional)}
        maxLength={props.maxLength}
        inputMode={props.inputMode}
        type={props.type}
        autoComplete={props.autoComplete ?? 'off'}
        clearable
      />
    </Field>
  );
}

/** A GB 11643 number: upper-cased, at most 18 characters, checked as it is typed. */
export function IdField(props: Common) {
  return (
    <TextField
      {...props}
      maxLength={18}
      placeholder={props.placeholder ?? S.id.placeholder}
      normalize={(s) => normalizeId(s).slice(0, 18)}
      typingError={idErrorWhileTyping}
    />
  );
}

export function PhoneField(props: Common) {
  return (
    <TextField
      {...props}
      type="tel"
      inputMode="tel"
      maxLength={13}
      autoComplete="tel"
      normalize={(s) => s.replace(/[^\d-]/g, '')}
      placeholder={props.placeholder ?? (props.required ? '11 位手机号' : S.optional)}
    />
  );
}

export function NumberField(props: Common & { decimal?: boolean; maxLength?: number }) {
  return (
    <TextField
      {...props}
      inputMode={props.decimal ? 'decimal' : 'numeric'}
      maxLength={props.maxLength ?? 8}
      normalize={(s) => (props.decimal ? s.replace(/[^\d.]/g, '') : s.replace(/\D/g, ''))}
    />
  );
}

/** The phone's own date picker (native), limited by min/max. */
export function DateField(props: Common & { min?: string; max?: string | 'today' }) {
  const { f, path } = props;
  const value = str(getIn(f.values, path));
  const error = f.errorOf(path);
  const id = domId(path);
  return (
    <Field path={path} label={props.label} required={props.required} error={error} help={props.help}>
      <input
        id={id}
        name={path}
        className={`fq-date${value ? '' : ' is-empty'}`}
        type="date"
        value={value}
        min={props.min}
        max={props.max === 'today' ? todayCst() : props.max}
        onChange={(e) => {
          f.set(path, e.target.value);
          f.touch(path);
        }}
        onBlur={() => f.touch(path)}
        aria-invalid={!!error}
        aria-describedby={error ? `${id}-error` : undefined}
      />
    </Field>
  );
}

export function AreaField(props: Common & { maxLength: number; rows?: number }) {
  const { f, path } = props;
  const value = str(getIn(f.values, path));
  const error = f.errorOf(path);
  const id = domId(path);
  return (
    <Field path={path} label={props.label} required={props.required} error={error} help={props.help}>
      <TextArea
        id={id}
        name={path}
        value={value}
        onChange={(v) => f.set(path, v)}
        onBlur={() => f.touch(path)}
        placeholder={props.placeholder}
        maxLength={props.maxLength}
        rows={props.rows ?? 4}
        autoSize={{ minRows: props.rows ?? 4, maxRows: 12 }}
        showCount
      />
    </Field>
  );
}

/** A single choice among a few options shown as large chips (no pop-up to open). */
export function ChoiceField(props: Common & { options: Array<[string, string]>; columns?: number }) {
  const { f, path } = props;
  const value = str(getIn(f.values, path));
  const error = f.errorOf(path);
  return (
    <Field path={path} label={props.label} required={props.required} error={error} help={props.help}>
      <Selector
        className="fq-selector"
        columns={props.columns ?? 3}
        options={props.options.map(([v, label]) => ({ value: v, label }))}
        value={value ? [value] : []}
        onChange={(v) => {
          f.set(path, v[0] ?? '');
          f.touch(path);
        }}
        showCheckMark={false}
      />
    </Field>
  );
}

export function SwitchField(props: Common) {
  const { f, path } = props;
  const checked = getIn(f.values, path) === true;
  return (
    <Field path={path} label={props.label} inline noMarker>
      <Switch checked={checked} onChange={(v) => f.set(path, v)} aria-label={typeof props.label === 'string' ? props.label : undefined} />
    </Field>
  );
}

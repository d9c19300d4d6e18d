// Form controls: a label, the input, and the message under it. Values are plain (string, number, boolean, string[]);
// the page keeps them and the checks (validateFormData for item forms, the change forms' own rules).
import type { ReactNode } from 'react';
import { Input, Selector, TextArea } from 'antd-mobile';
import type { FormField } from '../../../shared/forms';
import { idProblemWhileTyping, normalizeId } from '../lib/validate';
import { todayCst } from '../lib/util';
import { S } from '../strings';

const domId = (path: string) => `f-${path.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export function FieldBox(props: { path: string; label: ReactNode; required?: boolean; error?: string | null; help?: ReactNode; children: ReactNode; noMarker?: boolean }) {
  const id = domId(props.path);
  return (
    <div className={`fq-field${props.error ? ' has-error' : ''}`} data-path={props.path} data-testid={`field-${props.path}`}>
      <label className="fq-label" htmlFor={id}>
        {props.label}
        {props.noMarker ? null : props.required ? <span className="fq-req" aria-label={S.required}>*</span> : <span className="fq-opt">{S.optional}</span>}
      </label>
      <div className="fq-control">{props.children}</div>
      {props.error ? (
        <div className="fq-error" role="alert" id={`${id}-error`} data-testid={`error-${props.path}`}>
          {props.error}
        </div>
      ) : props.help ? (
        <div className="fq-help">{props.help}</div>
      ) : null}
    </div>
  );
}

interface Common {
  path: string;
  label: ReactNode;
  value: unknown;
  onChange: (v: unknown) => void;
  onBlur?: () => void;
  required?: boolean;
  error?: string | null;
  help?: ReactNode;
  placeholder?: string;
}

export function TextInput(props: Common & { maxLength?: number; inputMode?: 'text' | 'numeric' | 'decimal' | 'tel'; type?: string; normalize?: (s: string) => string; typingError?: (s: string) => string | null }) {
  const value = str(props.value);
  const error = props.error ?? (props.typingError ? props.typingError(value) : null);
  return (
    <FieldBox path={props.path} label={props.label} required={props.required} error={error} help={props.help}>
      <Input
        id={domId(props.path)}
        name={props.path}
        value={value}
        onChange={(v) => props.onChange(props.normalize ? props.normalize(v) : v)}
        onBlur={props.onBlur}
        placeholder={props.placeholder ?? (props.required ? S.required : S.optional)}
        maxLength={props.maxLength}
        inputMode={props.inputMode}
        type={props.type}
        autoComplete="off"
        clearable
      />
    </FieldBox>
  );
}

export function AreaInput(props: Common & { maxLength: number; rows?: number }) {
  return (
    <FieldBox path={props.path} label={props.label} required={props.required} error={props.error} help={props.help}>
      <TextArea
        id={domId(props.path)}
        name={props.path}
        value={str(props.value)}
        onChange={(v) => props.onChange(v)}
        onBlur={props.onBlur}
        placeholder={props.placeholder}
        maxLength={props.maxLength}
        rows={props.rows ?? 3}
        autoSize={{ minRows: props.rows ?? 3, maxRows: 10 }}
        showCount
      />
    </FieldBox>
  );
}

export function DateInput(props: Common & { min?: string; max?: string | 'today' }) {
  const value = str(props.value);
  const id = domId(props.path);
  return (
    <FieldBox path={props.path} label={props.label} required={props.required} error={props.error} help={props.help}>
      <input
        id={id}
        name={props.path}
        className={`fq-date${value ? '' : ' is-empty'}`}
        type="date"
        value={value}
        min={props.min}
        max={props.max === 'today' ? todayCst() : props.max}
        onChange={(e) => props.onChange(e.target.value)}
        onBlur={props.onBlur}
        aria-invalid={!!props.error}
      />
    </FieldBox>
  );
}

export function ChoiceInput(props: Common & { options: Array<[string, string]>; columns?: number }) {
  const value = str(props.value);
  return (
    <FieldBox path={props.path} label={props.label} required={props.required} error={props.error} help={props.help}>
      <Selector
        className="fq-selector"
        columns={props.columns ?? 3}
        options={props.options.map(([v, label]) => ({ value: v, label }))}
        value={value ? [value] : []}
        onChange={(v) => {
          props.onChange(v[0] ?? '');
          props.onBlur?.();
        }}
        showCheckMark={false}
      />
    </FieldBox>
  );
}

export function MultiInput(props: Common & { options: string[] }) {
  const value = Array.isArray(props.value) ? (props.value as string[]) : [];
  return (
    <FieldBox path={props.path} label={props.label} required={props.required} error={props.error} help={props.help}>
      <Selector
        className="fq-selector"
        columns={props.options.length > 4 ? 2 : props.options.length}
        multiple
        options={props.options.map((o) => ({ value: o, label: o }))}
        value={value}
        onChange={(v) => {
          props.onChange(v);
          props.onBlur?.();
        }}
        showCheckMark={false}
      />
    </FieldBox>
  );
}

export function YesNoInput(props: Common) {
  const v = props.value === true ? 'yes' : props.value === false ? 'no' : '';
  return (
    <FieldBox path={props.path} label={props.label} required={props.required} error={props.error} help={props.help}>
      <Selector
        className="fq-selector"
        columns={2}
        options={[
          { value: 'yes', label: S.item.yes },
          { value: 'no', label: S.item.no },
        ]}
        value={v ? [v] : []}
        onChange={(x) => {
          props.onChange(x[0] === 'yes' ? true : x[0] === 'no' ? false : undefined);
          props.onBlur?.();
        }}
        showCheckMark={false}
      />
    </FieldBox>
  );
}

export function IdInput(props: Common) {
  return (
    <TextInput
      {...props}
      maxLength={18}
      placeholder={props.placeholder ?? '18 位公民身份号码'}
      normalize={(s) => normalizeId(s).slice(0, 18)}
      typingError={(s) => {
        const p = idProblemWhileTyping(s);
        return p ? `${typeof props.label === 'string' ? props.label : S.change.fields.idNumber}${p}` : null;
      }}
    />
  );
}

export function PhoneInput(props: Common) {
  return <TextInput {...props} type="tel" inputMode="tel" maxLength={13} normalize={(s) => s.replace(/[^\d-]/g, '')} placeholder={props.placeholder ?? (props.required ? '11 位手机号' : S.optional)} />;
}

export function NumberInput(props: Common & { decimal?: boolean }) {
  return (
    <TextInput
      {...props}
      inputMode={props.decimal ? 'decimal' : 'numeric'}
      maxLength={12}
      normalize={(s) => (props.decimal ? s.replace(/[^\d.-]/g, '') : s.replace(/[^\d-]/g, ''))}
    />
  );
}

/** One field of an item type's FormSchema. */
export function SchemaField(props: { field: FormField; value: unknown; onChange: (v: unknown) => void; onBlur: () => void; error?: string | null }) {
  const { field: f } = props;
  const common: Common = {
    path: `data.${f.key}`,
    label: f.label,
    value: props.value,
    onChange: props.onChange,
    onBlur: props.onBlur,
    required: f.required,
    error: props.error,
    help: f.help,
  };
  switch (f.type) {
    case 'textarea':
      return <AreaInput {...common} maxLength={f.maxLength ?? 2000} />;
    case 'number':
      return <NumberInput {...common} decimal help={f.help ?? (f.min !== undefined || f.max !== undefined ? [f.min, f.max].map((x) => x ?? '').join(' – ') : undefined)} />;
    case 'select':
      return (f.options?.length ?? 0) <= 9 ? (
        <ChoiceInput {...common} options={(f.options ?? []).map((o) => [o, o])} columns={(f.options?.length ?? 0) > 4 ? 3 : Math.max(2, f.options?.length ?? 2)} />
      ) : (
        <ChoiceInput {...common} options={(f.options ?? []).map((o) => [o, o])} columns={2} />
      );
    case 'multiselect':
      return <MultiInput {...common} options={f.options ?? []} />;
    case 'boolean':
      return <YesNoInput {...common} />;
    case 'date':
      return <DateInput {...common} max="today" />;
    case 'phone':
      return <PhoneInput {...common} />;
    case 'idnumber':
      return <IdInput {...common} />;
    default:
      return <TextInput {...common} maxLength={f.maxLength ?? 200} />;
  }
}

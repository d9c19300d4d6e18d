// Form state for the portal's forms: values by dotted path, checks on the spot, server field errors mapped onto
// their inputs, one client id per fill (kept across retries), and a draft in localStorage.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, isApiError } from '../api';
import { S } from '../strings';
import { newClientId, setIn, store } from './util';

export type Errors = Record<string, string | null | undefined>;

interface Draft<T> {
  values: T;
  clientId: string;
  savedAt: string;
}

export interface FormOptions<T> {
  initial: T;
  validate: (values: T) => Errors;
  /** localStorage key of the draft; none in edit mode. */
  draftKey?: string | null;
  /** Turns a server field (`data.tenants.1.idNumber`) into the form's path (`tenants.1.idNumber`). */
  mapField?: (field: string) => string;
}

export const DRAFT_PREFIX = 'fq.portal.draft.';
export const draftKey = (kind: string, token: string) => `${DRAFT_PREFIX}${kind}.${token}`;

/** Identity numbers never go into a draft: the browser's storage is not the place for them. */
function withoutIds<T>(v: T): T {
  if (Array.isArray(v)) return v.map(withoutIds) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = /idNumber$/i.test(k) ? '' : withoutIds(x);
    return out as T;
  }
  return v;
}

function hasContent(v: unknown): boolean {
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.some(hasContent);
  if (v && typeof v === 'object') return Object.values(v).some(hasContent);
  return false;
}

const defaultMap = (field: string) => field.replace(/^data\./, '');

export function scrollToFirstError(): void {
  requestAnimationFrame(() => {
    const el = document.querySelector('.fq-field.has-error');
    if (!el) return;
    el.scrollIntoView({ block: 'center', behavior: 'smooth' });
    const input = el.querySelector<HTMLElement>('input, textarea');
    input?.focus({ preventScroll: true });
  });
}

export type SubmitState = 'idle' | 'submitting' | 'network' | 'failed';

export function useForm<T extends object>(opts: FormOptions<T>) {
  const { draftKey: key, validate } = opts;
  const mapField = opts.mapField ?? defaultMap;
  const initialDraft = useMemo(() => (key ? store.get<Draft<T>>(key) : null), [key]);
  const [values, setValues] = useState<T>(() => (initialDraft ? { ...opts.initial, ...initialDraft.values } : opts.initial));
  const [restored, setRestored] = useState(!!initialDraft && hasContent(initialDraft.values));
  const [touched, setTouched] = useState<Record<string, true>>({});
  const [showAll, setShowAll] = useState(false);
  const [server, setServer] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [state, setState] = useState<SubmitState>('idle');
  const clientId = useRef(initialDraft?.clientId ?? newClientId());
  const dirty = useRef(false);
  const done = useRef(false);

  const errors = useMemo(() => validate(values), [validate, values]);

  // the draft follows the values, a moment after the last keystroke
  useEffect(() => {
    if (!key || !dirty.current || done.current) return;
    const t = setTimeout(() => {
      if (done.current) return;
      if (hasContent(values)) store.set(key, { values: withoutIds(values), clientId: clientId.current, savedAt: new Date().toISOString() });
      else store.remove(key);
    }, 400);
    return () => clearTimeout(t);
  }, [key, values]);

  const set = useCallback((path: string, value: unknown) => {
    dirty.current = true;
    setValues((prev) => setIn(prev, path, value));
    setServer((prev) => (prev[path] ? { ...prev, [path]: undefined } : prev));
  }, []);

  /** Replaces a whole part of the values (adding/removing list rows); server errors under it are dropped. */
  const replace = useCallback((path: string, value: unknown) => {
    dirty.current = true;
    setValues((prev) => setIn(prev, path, value));
    setServer((prev) => Object.fromEntries(Object.entries(prev).filter(([k]) => !k.startsWith(`${path}.`) && k !== path)));
    setTouched((prev) => Object.fromEntries(Object.entries(prev).filter(([k]) => !k.startsWith(`${path}.`))) as Record<string, true>);
  }, []);

  const touch = useCallback((path: string) => setTouched((prev) => (prev[path] ? prev : { ...prev, [path]: true })), []);

  /** The message shown under a field: the server's, else the check's once the field was left or submitted. */
  const errorOf = useCallback(
    (path: string): string | undefined => server[path] ?? ((showAll || touched[path]) && errors[path] ? errors[path]! : undefined),
    [server, showAll, touched, errors],
  );

  const clearDraft = useCallback(() => {
    if (key) store.remove(key);
    dirty.current = false;
    clientId.current = newClientId();
    setValues(opts.initial);
    setTouched({});
    setShowAll(false);
    setServer({});
    setFormError(null);
    setRestored(false);
    // the initial values belong to the first render of the page
  }, [key]);

  /**
   * Checks, then sends. A network failure keeps the same client id so that a retry cannot submit twice;
   * a problem's field errors land on their inputs.
   */
  const submit = useCallback(
    async <R>(send: (values: T, clientId: string) => Promise<R>, onDone: (result: R) => void) => {
      setShowAll(true);
      setFormError(null);
      const firstError = Object.values(errors).find(Boolean);
      if (firstError) {
        setFormError(S.form.fixErrors);
        scrollToFirstError();
        return;
      }
      setState('submitting');
      try {
        const result = await send(values, clientId.current);
        done.current = true;
        if (key) store.remove(key);
        setState('idle');
        onDone(result);
      } catch (err) {
        if (!isApiError(err)) {
          setState('failed');
          setFormError(S.serverError);
          return;
        }
        if (err.isNetwork) {
          setState('network');
          return;
        }
        setState('failed');
        applyProblem(err);
      }
    },
    [errors, values, key],
  );

  function applyProblem(err: ApiError) {
    if (err.status === 401) return; // the resident is sent to sign in; the draft stays
    const mapped: Errors = {};
    const unplaced: string[] = [];
    for (const e of err.errors) {
      const path = mapField(e.field);
      if (path && document.querySelector(`.fq-field[data-path="${CSS.escape(path)}"]`)) mapped[path] = e.message;
      else unplaced.push(e.message);
    }
    setServer(mapped);
    if (Object.keys(mapped).length) scrollToFirstError();
    const top = unplaced.length ? unplaced.join('；') : Object.keys(mapped).length ? null : err.message;
    setFormError(top ?? (Object.keys(mapped).length ? S.form.fixErrors : null));
  }

  const allFixed = !Object.values(errors).some(Boolean) && !Object.values(server).some(Boolean);
  return {
    values,
    set,
    replace,
    touch,
    errorOf,
    errors,
    state,
    submitting: state === 'submitting',
    formError: formError === S.form.fixErrors && allFixed ? null : formError,
    restored,
    dismissRestored: () => setRestored(false),
    clearDraft,
    submit,
    clientId: () => clientId.current,
  };
}

export type Form<T extends object> = ReturnType<typeof useForm<T>>;

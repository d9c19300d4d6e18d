// Sending a portal form: a new submission from a plate, or the edit of a returned/submitted one.
import { useCallback } from 'react';
import { toast } from './notify';
import { useNavigate } from 'react-router';
import { submitSubmission, updateSubmission, type Submission, type SubmissionKind } from '../api';
import { S } from '../strings';
import { draftKey, type Form } from './form';

export interface EditorProps {
  /** The plate of a new submission. */
  token?: string;
  /** The submission being edited (PUT). */
  edit?: Submission;
}

export const editorDraftKey = (kind: SubmissionKind, p: EditorProps) => (p.edit || !p.token ? null : draftKey(kind, p.token));

/** Strings trimmed; empty optional values left out. */
export function clean<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const x = typeof v === 'string' ? v.trim() : v;
    if (x === '' || x === undefined || x === null) continue;
    out[k] = x;
  }
  return out as Partial<T>;
}

/** A submission's data as form strings; identity numbers come back masked and must be typed again. */
export function fromData(data: Record<string, unknown> | undefined, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = data?.[k];
    out[k] = /idNumber$/i.test(k) ? '' : v === undefined || v === null ? '' : String(v);
  }
  return out;
}

export function useSubmitter<T extends object>(kind: SubmissionKind, props: EditorProps, f: Form<T>, build: (v: T) => unknown) {
  const navigate = useNavigate();
  return useCallback(() => {
    void f.submit(
      (v, clientId) =>
        props.edit ? updateSubmission(props.edit.id, build(v)) : submitSubmission({ kind, plateToken: props.token!, clientId, data: build(v) }),
      (sub: Submission) => {
        if (props.edit) {
          toast(S.result.updated, 'success');
          navigate(`/me/submissions/${sub.id}`, { replace: true });
        } else {
          navigate(`/p/${props.token}/done`, { replace: true, state: { submission: sub } });
        }
      },
    );
  }, [f, props.edit, props.token, kind, build, navigate]);
}

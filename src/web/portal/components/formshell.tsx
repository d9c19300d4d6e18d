// The frame every portal form shares: the restored-draft notice, the problem the server reported, the retry
// offer after a network failure (same client id), and the submit button with its loading state.
import type { ReactNode } from 'react';
import { Button } from 'antd-mobile';
import type { Form } from '../lib/form';
import { S } from '../strings';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyForm = Form<any>;

export function FormShell(props: {
  f: AnyForm;
  onSubmit: () => void;
  submitLabel?: string;
  intro?: ReactNode;
  notice?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  const { f } = props;
  return (
    <form
      className="fq-form"
      noValidate
      data-testid={props.testId}
      onSubmit={(e) => {
        e.preventDefault();
        if (!f.submitting) props.onSubmit();
      }}
    >
      {props.intro ? <p className="fq-intro">{props.intro}</p> : null}
      {props.notice}
      {f.restored ? (
        <div className="fq-notice is-info" data-testid="draft-restored" role="status">
          <div>
            <strong>{S.form.draftRestored}</strong>
            <div className="fq-notice-sub">{S.form.draftIdNote}</div>
          </div>
          <button type="button" className="fq-link-btn" onClick={f.clearDraft} data-testid="draft-clear">
            {S.form.clearDraft}
          </button>
        </div>
      ) : null}
      {props.children}
      <div className="fq-submit-bar">
        {f.state === 'network' ? (
          <div className="fq-notice is-warn" role="alert" data-testid="network-error">
            <div>{S.form.retryHint}</div>
            <Button size="small" color="warning" onClick={props.onSubmit} data-testid="retry-submit">
              {S.form.retrySubmit}
            </Button>
          </div>
        ) : f.formError ? (
          <div className="fq-notice is-error" role="alert" data-testid="form-error">
            {f.formError}
          </div>
        ) : null}
        <Button block color="primary" size="large" type="submit" loading={f.submitting} loadingText={S.submitting} data-testid="submit">
          {props.submitLabel ?? S.submit}
        </Button>
      </div>
    </form>
  );
}

export function Section(props: { title: ReactNode; extra?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <fieldset className="fq-section" data-testid={props.testId}>
      <div className="fq-section-head">
        <legend className="fq-section-title">{props.title}</legend>
        {props.extra}
      </div>
      {props.children}
    </fieldset>
  );
}

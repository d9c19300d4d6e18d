// /m/login?next=… — phone + one-time code. The server sets the session cookie; `next` brings the resident back.
import { useEffect, useRef, useState } from 'react';
import { Button, Input, type InputRef } from 'antd-mobile';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { isApiError, post, type Me } from '../api';
import { Screen } from '../components/ui';
import { safeNext } from '../lib/util';
import { MOBILE_RE } from '../lib/validate';
import { signedIn, useSession } from '../session';
import { S } from '../strings';

const L = S.login;

/** Where to go after signing in: an in-app path (without /m), or a full-page path like /q/…. */
function target(next: string | null): { app?: string; page?: string } {
  const n = safeNext(next);
  if (!n) return { app: '/me' };
  if (n === '/m' || n.startsWith('/m/') || n.startsWith('/m?')) return { app: n.slice(2) || '/' };
  if (n.startsWith('/q/')) return { page: n };
  return { app: n };
}

export default function Login() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<{ phone?: string; code?: string; form?: string }>({});
  const [sending, setSending] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const [wait, setWait] = useState(0);
  const [sent, setSent] = useState(false);
  const codeRef = useRef<InputRef>(null);
  const dest = target(params.get('next'));

  useEffect(() => {
    if (wait <= 0) return;
    const t = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(t);
  }, [wait]);

  const go = () => {
    if (dest.page) window.location.assign(dest.page);
    else navigate(dest.app ?? '/me', { replace: true });
  };

  if (session.status === 'resident' && !verifying) {
    if (dest.page) {
      window.location.replace(dest.page);
      return null;
    }
    return <Navigate to={dest.app ?? '/me'} replace />;
  }

  const phoneOk = MOBILE_RE.test(phone);

  async function send() {
    if (!phoneOk) {
      setErrors({ phone: L.phoneInvalid });
      return;
    }
    setErrors({});
    setSending(true);
    try {
      const r = await post<{ expiresInSeconds: number; resendAfterSeconds: number }>('/auth/otp/request', { phone }, { quiet401: true });
      setWait(r?.resendAfterSeconds ?? 60);
      setSent(true);
      codeRef.current?.focus();
    } catch (err) {
      if (isApiError(err)) {
        const retry = Number(err.extensions.retryAfterSeconds);
        if (err.status === 429 && retry > 0) setWait(retry);
        const fieldErr = err.errors.find((e) => e.field === 'phone');
        setErrors(fieldErr ? { phone: fieldErr.message } : { form: err.message });
      } else setErrors({ form: S.serverError });
    } finally {
      setSending(false);
    }
  }

  async function verify() {
    const errs: typeof errors = {};
    if (!phoneOk) errs.phone = L.phoneInvalid;
    if (!/^\d{6}$/.test(code)) errs.code = L.codeInvalid;
    setErrors(errs);
    if (errs.phone || errs.code) return;
    setVerifying(true);
    try {
      const r = await post<{ user: Me }>('/auth/otp/verify', { phone, code }, { quiet401: true });
      signedIn(r.user.phone ?? phone);
      go();
    } catch (err) {
      setVerifying(false);
      if (isApiError(err)) {
        const byField: typeof errors = {};
        for (const e of err.errors) if (e.field === 'phone' || e.field === 'code') byField[e.field] = e.message;
        setErrors(byField.phone || byField.code ? byField : { form: err.message });
      } else setErrors({ form: S.serverError });
    }
  }

  return (
    <Screen title={L.title} back="/" testId="login-page">
      <div className="fq-login">
        <div className="fq-login-emblem" aria-hidden="true">
          <svg viewBox="0 0 48 48" width="56" height="56">
            <path d="M24 4l16 6v12c0 10-7 18-16 22C15 40 8 32 8 22V10z" fill="#0b4aa2" />
            <path d="M17 24l5 5 9-10" fill="none" stroke="#fff" strokeWidth="3.5" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </div>
        <p className="fq-intro">{L.intro}</p>
        {session.status === 'anon' && session.staff ? (
          <div className="fq-notice is-warn" role="status">
            {L.staffSignedIn}
          </div>
        ) : null}
        <form
          className="fq-card fq-login-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void verify();
          }}
        >
          <div className={`fq-field${errors.phone ? ' has-error' : ''}`} data-path="phone">
            <label className="fq-label" htmlFor="login-phone">
              {L.phone}
            </label>
            <Input
              id="login-phone"
              name="phone"
              type="tel"
              inputMode="numeric"
              autoComplete="tel"
              maxLength={11}
              placeholder={L.phonePlaceholder}
              value={phone}
              onChange={(v) => {
                setPhone(v.replace(/\D/g, '').slice(0, 11));
                if (errors.phone) setErrors({ ...errors, phone: undefined });
              }}
              data-testid="login-phone"
              clearable
            />
            {errors.phone ? (
              <div className="fq-error" role="alert">
                {errors.phone}
              </div>
            ) : null}
          </div>
          <div className={`fq-field${errors.code ? ' has-error' : ''}`} data-path="code">
            <label className="fq-label" htmlFor="login-code">
              {L.code}
            </label>
            <div className="fq-code-row">
              <Input
                ref={codeRef}
                id="login-code"
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                placeholder={L.codePlaceholder}
                value={code}
                onChange={(v) => {
                  setCode(v.replace(/\D/g, '').slice(0, 6));
                  if (errors.code) setErrors({ ...errors, code: undefined });
                }}
                data-testid="login-code"
              />
              <Button
                size="small"
                color="primary"
                fill="outline"
                disabled={wait > 0 || sending}
                loading={sending}
                onClick={() => void send()}
                data-testid="login-send"
              >
                {wait > 0 ? L.resendIn(wait) : L.send}
              </Button>
            </div>
            {errors.code ? (
              <div className="fq-error" role="alert">
                {errors.code}
              </div>
            ) : sent ? (
              <div className="fq-help" role="status" data-testid="login-sent">
                {L.sent}
              </div>
            ) : null}
          </div>
          {errors.form ? (
            <div className="fq-notice is-error" role="alert" data-testid="login-error">
              {errors.form}
            </div>
          ) : null}
          <Button block color="primary" size="large" type="submit" loading={verifying} data-testid="login-submit">
            {L.submit}
          </Button>
          <p className="fq-small fq-muted">{L.agreement}</p>
        </form>
      </div>
    </Screen>
  );
}

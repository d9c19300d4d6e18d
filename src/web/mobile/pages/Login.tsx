// Sign-in of a grid worker / police assistant: username + password (+ TOTP when enabled), the forced change of an
// initial password, and a plain refusal for accounts without field.collect.
import { useState } from 'react';
import { Button, Input } from 'antd-mobile';
import { isApiError } from '../api';
import { canCollect, changePassword, enter, login, logout, pendingCount, rejectedCount, useApp } from '../data/app';
import { FieldBox } from '../components/fields';
import { Screen } from '../components/ui';
import { S } from '../strings';

const L = S.login;

type Errors = Partial<Record<'username' | 'password' | 'totp' | 'currentPassword' | 'newPassword' | 'confirm' | 'form', string>>;

function Emblem() {
  return (
    <div className="fq-login-emblem" aria-hidden="true">
      <svg viewBox="0 0 48 48" width="60" height="60">
        <rect width="48" height="48" rx="12" fill="#0b4aa2" />
        <path d="M24 8l12 4.5v8.5c0 7.5-5 13.5-12 16.5-7-3-12-9-12-16.5v-8.5z" fill="#fff" />
        <path d="M18 19h12M18 24h12M18 29h12M21 15v18M27 15v18" stroke="#0b4aa2" strokeWidth="1.6" strokeLinecap="round" />
      </svg>
    </div>
  );
}

export default function Login() {
  const me = useApp((s) => s.me);
  const lastMe = useApp((s) => s.lastMe);
  const online = useApp((s) => s.online);
  const unsent = useApp((s) => pendingCount(s) + rejectedCount(s));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [pw, setPw] = useState({ currentPassword: '', newPassword: '', confirm: '' });

  const mapErrors = (err: unknown, fields: Array<keyof Errors>): Errors => {
    if (!isApiError(err)) return { form: S.serverError };
    const out: Errors = {};
    for (const e of err.errors) if ((fields as string[]).includes(e.field)) out[e.field as keyof Errors] = e.message;
    if (Object.keys(out).length === 0 || err.status !== 400) out.form = err.message;
    return out;
  };

  async function submit() {
    const errs: Errors = {};
    if (!username.trim()) errs.username = L.usernameRequired;
    if (!password) errs.password = L.passwordRequired;
    if (needTotp && !/^\d{6}$/.test(totp)) errs.totp = L.totpInvalid;
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      await login({ username: username.trim(), password, totp: needTotp ? totp : undefined });
      setPassword('');
    } catch (err) {
      if (isApiError(err) && err.code === 'totp_required') {
        setNeedTotp(true);
        setErrors(needTotp ? { totp: err.errors[0]?.message ?? err.message } : {});
      } else if (isApiError(err) && err.isNetwork) {
        setErrors({ form: L.offline });
      } else {
        setErrors(mapErrors(err, ['username', 'password', 'totp']));
        if (isApiError(err) && err.code === 'invalid_credentials') setPassword('');
        if (needTotp) setTotp('');
      }
    } finally {
      setBusy(false);
    }
  }

  async function submitPassword() {
    const errs: Errors = {};
    if (!pw.currentPassword) errs.currentPassword = L.passwordRequired;
    if (pw.newPassword.length < 8) errs.newPassword = L.passwordShort;
    if (pw.confirm !== pw.newPassword) errs.confirm = L.passwordMismatch;
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const fresh = await changePassword(pw.currentPassword, pw.newPassword);
      if (canCollect(fresh)) await enter(fresh);
    } catch (err) {
      setErrors(mapErrors(err, ['currentPassword', 'newPassword']));
    } finally {
      setBusy(false);
    }
  }

  // signed in, but with a temporary password: change it first
  if (me && me.mustChangePassword) {
    return (
      <Screen title={L.title} testId="password-page">
        <div className="fq-login-box">
          <Emblem />
          <div className="fq-notice is-warn" role="status">
            {L.mustChange}
          </div>
          <form
            className="fq-card fq-login-form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void submitPassword();
            }}
          >
            {(['currentPassword', 'newPassword', 'confirm'] as const).map((k) => (
              <FieldBox key={k} path={k} label={k === 'currentPassword' ? L.currentPassword : k === 'newPassword' ? L.newPassword : L.confirmPassword} required error={errors[k]}>
                <Input id={`f-${k}`} type="password" value={pw[k]} onChange={(v) => setPw({ ...pw, [k]: v })} autoComplete={k === 'currentPassword' ? 'current-password' : 'new-password'} data-testid={`pw-${k}`} />
              </FieldBox>
            ))}
            {errors.form ? (
              <div className="fq-notice is-error" role="alert">
                {errors.form}
              </div>
            ) : null}
            <Button block color="primary" size="large" type="submit" loading={busy}>
              {L.changePassword}
            </Button>
          </form>
        </div>
      </Screen>
    );
  }

  // signed in with an account that may not collect
  if (me && !canCollect(me)) {
    return (
      <Screen title={S.appName} testId="not-allowed-page">
        <div className="fq-login-box">
          <Emblem />
          <div className="fq-notice is-error fq-block-notice" role="alert" data-testid="not-allowed">
            <strong>{me.displayName}</strong>
            <div>{L.notAllowed}</div>
          </div>
          <Button block size="large" onClick={() => void logout({ keepLocal: true })} data-testid="signout">
            {L.signOut}
          </Button>
        </div>
      </Screen>
    );
  }

  const otherWorker = lastMe && unsent > 0 && username.trim() && username.trim() !== lastMe.username ? lastMe : null;

  return (
    <Screen title={L.title} testId="login-page">
      <div className="fq-login-box">
        <Emblem />
        <p className="fq-intro">{L.intro}</p>
        {!online ? (
          <div className="fq-notice is-warn" role="status">
            {L.offline}
          </div>
        ) : null}
        {lastMe && unsent > 0 ? (
          <div className={`fq-notice ${otherWorker ? 'is-error' : 'is-warn'}`} role="status" data-testid="unsent-warning">
            {otherWorker ? L.otherWorker(lastMe.displayName, unsent) : S.sync.pending(unsent)}
          </div>
        ) : null}
        <form
          className="fq-card fq-login-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <FieldBox path="username" label={L.username} required error={errors.username} noMarker>
            <Input
              id="f-username"
              name="username"
              autoComplete="username"
              placeholder={L.usernamePlaceholder}
              value={username}
              onChange={(v) => {
                setUsername(v);
                if (errors.username || errors.form) setErrors({});
              }}
              data-testid="login-username"
              clearable
            />
          </FieldBox>
          <FieldBox path="password" label={L.password} required error={errors.password} noMarker>
            <Input
              id="f-password"
              name="password"
              type="password"
              autoComplete="current-password"
              placeholder={L.passwordPlaceholder}
              value={password}
              onChange={(v) => {
                setPassword(v);
                if (errors.password || errors.form) setErrors({});
              }}
              data-testid="login-password"
            />
          </FieldBox>
          {needTotp ? (
            <FieldBox path="totp" label={L.totp} required error={errors.totp} help={L.totpNeeded} noMarker>
              <Input
                id="f-totp"
                name="totp"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                placeholder={L.totpPlaceholder}
                value={totp}
                onChange={(v) => setTotp(v.replace(/\D/g, '').slice(0, 6))}
                data-testid="login-totp"
              />
            </FieldBox>
          ) : null}
          {errors.form ? (
            <div className="fq-notice is-error" role="alert" data-testid="login-error">
              {errors.form}
            </div>
          ) : null}
          <Button block color="primary" size="large" type="submit" loading={busy} data-testid="login-submit">
            {L.submit}
          </Button>
        </form>
        <p className="fq-small fq-muted fq-pad-x">{L.notice}</p>
      </div>
    </Screen>
  );
}

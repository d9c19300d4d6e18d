// The portal's page frame and its small shared pieces: the blue navigation bar, cards, loading, empty and
// error states.
import type { ReactNode } from 'react';
import { Button, DotLoading, NavBar, createErrorBlock } from 'antd-mobile';
import { useLocation, useNavigate } from 'react-router';
import { S } from '../strings';

/** Goes back in the history when there is some, else to `fallback` (an in-app path or /q/… full URL). */
export function useBack(fallback: string) {
  const navigate = useNavigate();
  const location = useLocation();
  return () => {
    if (location.key !== 'default' && window.history.length > 1) navigate(-1);
    else if (fallback.startsWith('/q/')) window.location.assign(fallback);
    else navigate(fallback, { replace: true });
  };
}

export function Screen(props: { title: string; back?: string | null; right?: ReactNode; children: ReactNode; testId?: string }) {
  const onBack = useBack(props.back ?? '/');
  return (
    <div className="fq-screen" data-testid={props.testId}>
      <NavBar className="fq-nav" backIcon={props.back !== null} onBack={props.back !== null ? onBack : undefined} right={props.right}>
        {props.title}
      </NavBar>
      <main className="fq-body">{props.children}</main>
    </div>
  );
}

export function Card(props: { title?: ReactNode; extra?: ReactNode; children: ReactNode; className?: string; testId?: string }) {
  return (
    <section className={`fq-card${props.className ? ` ${props.className}` : ''}`} data-testid={props.testId}>
      {props.title || props.extra ? (
        <div className="fq-card-head">
          <h2 className="fq-card-title">{props.title}</h2>
          {props.extra}
        </div>
      ) : null}
      {props.children}
    </section>
  );
}

export function Loading(props: { text?: string }) {
  return (
    <div className="fq-loading" role="status" aria-live="polite">
      <DotLoading color="primary" />
      <span>{props.text ?? S.loading}</span>
    </div>
  );
}

// ErrorBlock with small pictures of our own (the stock ones weigh more than the rest of a page)
const pic = (d: string, color: string) => (
  <svg viewBox="0 0 64 64" width="96" height="96" aria-hidden="true">
    <circle cx="32" cy="32" r="30" fill="#eef3fb" />
    <path d={d} fill="none" stroke={color} strokeWidth="3.5" strokeLinecap="round" strokeLinejoin="round" />
  </svg>
);
/** The empty, error and not-found block with those pictures (the field app uses it too). */
export const StateBlock = createErrorBlock({
  default: pic('M32 18v18M32 44v1', '#0b4aa2'),
  disconnected: pic('M18 28a20 20 0 0 1 28 0M23 34a12 12 0 0 1 18 0M32 42v1M16 16l32 32', '#c0392b'),
  empty: pic('M18 24h28v22H18zM18 24l5-7h18l5 7M26 32h12', '#8a9bb5'),
  busy: pic('M32 18v14l9 6', '#0b4aa2'),
});

export function EmptyState(props: { title: string; hint?: ReactNode; testId?: string; children?: ReactNode }) {
  return (
    <StateBlock status="empty" title={props.title} description={props.hint ?? ''} className="fq-block" data-testid={props.testId ?? 'empty'}>
      {props.children}
    </StateBlock>
  );
}

/** A failed load: a network failure offers to retry; other problems say what the server said. */
export function ErrorState(props: { error: unknown; onRetry?: () => void; title?: string; description?: ReactNode }) {
  const err = props.error as { isNetwork?: boolean; message?: string } | null;
  const network = !!err?.isNetwork;
  return (
    <StateBlock
      status={network ? 'disconnected' : 'default'}
      title={props.title ?? (network ? S.networkError : (err?.message ?? S.serverError))}
      description={props.description ?? ''}
      className="fq-block"
      data-testid="load-error"
    >
      {props.onRetry ? (
        <Button color="primary" fill="outline" onClick={props.onRetry} data-testid="retry">
          {S.retry}
        </Button>
      ) : null}
    </StateBlock>
  );
}

export function NotFoundPage() {
  return (
    <Screen title={S.appName} back={null}>
      <StateBlock status="default" title={S.notFoundTitle} description={S.notFoundBody} className="fq-block" />
    </Screen>
  );
}

export function Icon(props: { d: string; size?: number }) {
  return (
    <svg viewBox="0 0 24 24" width={props.size ?? 24} height={props.size ?? 24} aria-hidden="true" className="fq-icon">
      <path d={props.d} fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export const ICONS = {
  person: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 4-6 8-6s8 2 8 6',
  house: 'M3 11l9-7 9 7M5 10v10h14V10M10 20v-6h4v6',
  alert: 'M12 3l10 18H2zM12 10v5M12 18v.5',
  handshake: 'M3 12l4-4 5 3 5-3 4 4M7 8v8l5 4 5-4V8',
  bike: 'M6 18a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM18 18a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM6 15l4-7h5l3 7M9 5h3',
  calendar: 'M4 6h16v14H4zM4 10h16M8 3v5M16 3v5',
  shield: 'M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z',
  pin: 'M12 21s7-6.5 7-12a7 7 0 1 0-14 0c0 5.5 7 12 7 12zM12 11a2 2 0 1 0 0-4 2 2 0 0 0 0 4z',
  list: 'M8 6h12M8 12h12M8 18h12M4 6h.5M4 12h.5M4 18h.5',
  phone: 'M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z',
};

/** A plain tel: link styled as a button; works without script. */
export function CallLink(props: { phone: string; label?: string; danger?: boolean; testId?: string }) {
  return (
    <a className={`fq-call${props.danger ? ' is-danger' : ''}`} href={`tel:${props.phone.replace(/[^\d+]/g, '')}`} data-testid={props.testId}>
      <Icon d={ICONS.phone} size={18} />
      <span>{props.label ?? `${S.call} ${props.phone}`}</span>
    </a>
  );
}

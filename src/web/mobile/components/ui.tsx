// The field app's frame: the blue bar, the sync bar that says plainly what is not yet sent and whether the phone
// is offline, the bottom tabs, cards and the loading, empty and error states.
import type { ReactNode } from 'react';
import { Badge, Button, NavBar } from 'antd-mobile';
import { NavLink, useLocation, useNavigate } from 'react-router';
import { pendingCount, rejectedCount, syncNow, useApp } from '../data/app';
import { fmtShort, toast } from '../lib/util';
import { S } from '../strings';
import { StateBlock } from '../../portal/components/ui';

export function useBack(fallback: string) {
  const navigate = useNavigate();
  const location = useLocation();
  return () => {
    if (location.key !== 'default' && window.history.length > 1) navigate(-1);
    else navigate(fallback, { replace: true });
  };
}

export function Screen(props: { title: ReactNode; back?: string | null; right?: ReactNode; children: ReactNode; tabs?: boolean; testId?: string }) {
  const onBack = useBack(props.back ?? '/');
  const hasBack = props.back !== null && props.back !== undefined;
  return (
    <div className={`fq-screen${props.tabs ? ' has-tabs' : ''}`} data-testid={props.testId}>
      <header className="fq-top">
        <NavBar className="fq-nav" backIcon={hasBack} onBack={hasBack ? onBack : undefined} right={props.right}>
          {props.title}
        </NavBar>
        <SyncBar />
      </header>
      <main className="fq-body">{props.children}</main>
      {props.tabs ? <TabBar /> : null}
    </div>
  );
}

/** Offline and unsent: always visible while either holds, with the button that sends now. */
export function SyncBar() {
  const online = useApp((s) => s.online);
  const pending = useApp(pendingCount);
  const rejected = useApp(rejectedCount);
  const syncing = useApp((s) => s.syncing);
  const report = useApp((s) => s.lastReport);
  const navigate = useNavigate();
  if (online && pending === 0 && rejected === 0 && !syncing) return null;
  const send = async () => {
    const r = await syncNow(true);
    if (r && r.sent > 0) toast(S.sync.sentToast(r.sent), 'success');
    else if (r?.message) toast(r.message);
  };
  return (
    <div className={`fq-syncbar${online ? '' : ' is-offline'}`} role="status" aria-live="polite" data-testid="sync-bar">
      {!online ? (
        <span className="fq-pill is-offline" data-testid="offline-pill">
          {S.sync.offline}
        </span>
      ) : null}
      <button type="button" className="fq-syncbar-text" onClick={() => navigate('/outbox')}>
        {syncing ? (
          <span>{S.sync.syncing}</span>
        ) : (
          <>
            {pending > 0 ? <strong data-testid="pending-count">{S.sync.pending(pending)}</strong> : null}
            {rejected > 0 ? <strong className="fq-red">{S.sync.rejected(rejected)}</strong> : null}
            {pending === 0 && rejected === 0 ? <span>{S.sync.offlineHint}</span> : null}
            {online && pending > 0 && report?.retryAt && report.outcome !== 'done' ? <span className="fq-small">{S.sync.nextRetry(fmtShort(new Date(report.retryAt).toISOString()))}</span> : null}
          </>
        )}
      </button>
      {pending > 0 && online ? (
        <Button size="mini" color="primary" fill="solid" loading={syncing} onClick={() => void send()} data-testid="sync-now">
          {S.sync.sendNow}
        </Button>
      ) : null}
    </div>
  );
}

const TAB_ICONS = {
  tasks: 'M9 5h10M9 12h10M9 19h10M4 5l1 1 2-2M4 12l1 1 2-2M4 19l1 1 2-2',
  scan: 'M4 8V5a1 1 0 0 1 1-1h3M16 4h3a1 1 0 0 1 1 1v3M20 16v3a1 1 0 0 1-1 1h-3M8 20H5a1 1 0 0 1-1-1v-3M4 12h16',
  outbox: 'M4 13l3-8h10l3 8M4 13v6h16v-6M4 13h5l1 2h4l1-2h5',
  me: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 4-6 8-6s8 2 8 6',
};

export function TabBar() {
  const pending = useApp(pendingCount);
  const rejected = useApp(rejectedCount);
  const tabs: Array<[string, string, keyof typeof TAB_ICONS, ReactNode]> = [
    ['/', S.tabs.tasks, 'tasks', null],
    ['/scan', S.tabs.scan, 'scan', null],
    ['/outbox', S.tabs.outbox, 'outbox', pending + rejected > 0 ? pending + rejected : null],
    ['/me', S.tabs.me, 'me', null],
  ];
  return (
    <nav className="fq-ftabbar" aria-label="主菜单">
      {tabs.map(([to, label, icon, badge]) => (
        <NavLink key={to} to={to} end className={({ isActive }) => `fq-ftab${isActive ? ' is-active' : ''}`} data-testid={`tab-${icon}`}>
          <Badge content={badge ?? undefined} color={rejected > 0 ? 'var(--fq-red)' : undefined}>
            <Icon d={TAB_ICONS[icon]} size={24} />
          </Badge>
          <span>{label}</span>
        </NavLink>
      ))}
    </nav>
  );
}

// cards and the loading, empty and error states look and read the same in both phone apps
export { Card, EmptyState, ErrorState, Loading } from '../../portal/components/ui';

export function NotFoundPage() {
  return (
    <Screen title={S.appName} tabs>
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
  check: 'M5 12l5 5L20 7',
  visit: 'M3 11l9-7 9 7M5 10v10h14V10M10 20v-6h4v6',
  patrol: 'M12 21s7-6.5 7-12a7 7 0 1 0-14 0c0 5.5 7 12 7 12zM12 11a2 2 0 1 0 0-4 2 2 0 0 0 0 4z',
  report: 'M12 3l10 18H2zM12 10v5M12 18v.5',
  personAdd: 'M10 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM3 21c0-4 3-6 7-6 1.5 0 3 .3 4 1M18 14v6M15 17h6',
  house: 'M3 11l9-7 9 7M5 10v10h14V10M9 14h6',
  unit: 'M4 21V7l8-4 8 4v14M9 21v-5h6v5M8 9h2M14 9h2M8 13h2M14 13h2',
  camera: 'M4 8h3l2-3h6l2 3h3v11H4zM12 17a4 4 0 1 0 0-8 4 4 0 0 0 0 8z',
  search: 'M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM20 20l-4-4',
  chevron: 'M9 5l7 7-7 7',
  clock: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 7v5l3 3',
};

export function Tag(props: { children: ReactNode; tone?: 'blue' | 'green' | 'orange' | 'red' | 'grey'; testId?: string }) {
  return (
    <span className={`fq-tag is-${props.tone ?? 'blue'}`} data-testid={props.testId}>
      {props.children}
    </span>
  );
}

/** A row that opens something: icon, text, chevron. */
export function RowLink(props: { onClick: () => void; title: ReactNode; sub?: ReactNode; extra?: ReactNode; testId?: string; danger?: boolean }) {
  return (
    <button type="button" className={`fq-rowlink${props.danger ? ' is-danger' : ''}`} onClick={props.onClick} data-testid={props.testId}>
      <span className="fq-rowlink-text">
        <span className="fq-rowlink-title">{props.title}</span>
        {props.sub ? <span className="fq-rowlink-sub">{props.sub}</span> : null}
      </span>
      {props.extra}
      <Icon d={ICONS.chevron} size={18} />
    </button>
  );
}

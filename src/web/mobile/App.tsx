// Routes of the field app (base /f). Pages are loaded lazily; the service worker keeps every chunk on the phone,
// so a page opens offline too.
import { Component, lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Route, Routes, useLocation } from 'react-router';
import { setUnauthorizedHandler } from './api';
import { boot, setSignedOut, useApp } from './data/app';
import { ErrorState, NotFoundPage, Screen } from './components/ui';
import { S } from './strings';

const Login = lazy(() => import('./pages/Login'));
const Tasks = lazy(() => import('./pages/Tasks'));
const Scan = lazy(() => import('./pages/Scan'));
const Record = lazy(() => import('./pages/Record'));
const ItemForm = lazy(() => import('./pages/ItemForm'));
const ChangeForm = lazy(() => import('./pages/ChangeForm'));
const Outbox = lazy(() => import('./pages/Outbox'));
const Me = lazy(() => import('./pages/Me'));
const MyItems = lazy(() => import('./pages/MyItems'));
const MyChanges = lazy(() => import('./pages/MyChanges'));
const Patrol = lazy(() => import('./pages/Patrol'));

function Fallback() {
  return (
    <div className="fq-boot" role="status" aria-label={S.loading}>
      <span className="fq-spinner" />
    </div>
  );
}

class PageBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    if (!this.state.failed) return this.props.children;
    return (
      <Screen title={S.appName}>
        <ErrorState error={{ isNetwork: true }} onRetry={() => window.location.reload()} />
      </Screen>
    );
  }
}

export function App() {
  const session = useApp((s) => s.session);
  const location = useLocation();
  useEffect(() => {
    void boot();
    setUnauthorizedHandler(setSignedOut);
    return () => setUnauthorizedHandler(null);
  }, []);

  if (session === 'unknown') return <Fallback />;
  if (session === 'signedOut') {
    return (
      <Suspense fallback={<Fallback />}>
        <Login />
      </Suspense>
    );
  }
  return (
    <PageBoundary key={location.pathname}>
      <Suspense fallback={<Fallback />}>
        <Routes>
          <Route index element={<Tasks />} />
          <Route path="scan" element={<Scan />} />
          <Route path="p/:token" element={<Record />} />
          <Route path="a/:id" element={<Record />} />
          <Route path="a/:id/item" element={<ItemForm />} />
          <Route path="a/:id/change/:kind" element={<ChangeForm />} />
          <Route path="item" element={<ItemForm />} />
          <Route path="outbox" element={<Outbox />} />
          <Route path="outbox/:clientId" element={<EditOp />} />
          <Route path="me" element={<Me />} />
          <Route path="me/items" element={<MyItems />} />
          <Route path="me/changes" element={<MyChanges />} />
          <Route path="patrol" element={<Patrol />} />
          <Route path="login" element={<Tasks />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </PageBoundary>
  );
}

/** A rejected op reopened in its form: an item or a change, by what the outbox holds. */
function EditOp() {
  const kind = new URLSearchParams(useLocation().search).get('kind');
  return kind === 'change' ? <ChangeForm /> : <ItemForm />;
}

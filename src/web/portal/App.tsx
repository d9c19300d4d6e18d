// Routes of the resident portal (base /m). Every page is its own chunk, loaded when first opened.
import { Component, lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Route, Routes, useLocation, useNavigate } from 'react-router';
import { setUnauthorizedHandler } from './api';
import { loginPath, RequireResident } from './components/auth';
import { PlateLayout } from './components/plate';
import { ErrorState, NotFoundPage, Screen } from './components/ui';
import { S } from './strings';
import { signedOut } from './session';

const Home = lazy(() => import('./pages/Home'));
const Login = lazy(() => import('./pages/Login'));
const PlateHome = lazy(() => import('./pages/PlateHome'));
const ResidenceForm = lazy(() => import('./pages/ResidenceForm'));
const RentalForm = lazy(() => import('./pages/RentalForm'));
const HelpForm = lazy(() => import('./pages/HelpForm'));
const MediationForm = lazy(() => import('./pages/MediationForm'));
const EbikeForm = lazy(() => import('./pages/EbikeForm'));
const SubmitDone = lazy(() => import('./pages/SubmitDone'));
const Appointments = lazy(() => import('./pages/Appointments'));
const Tips = lazy(() => import('./pages/Tips'));
const ArticlePage = lazy(() => import('./pages/ArticlePage'));
const Nearby = lazy(() => import('./pages/Nearby'));
const Me = lazy(() => import('./pages/Me'));
const SubmissionDetail = lazy(() => import('./pages/SubmissionDetail'));
const EditSubmission = lazy(() => import('./pages/EditSubmission'));

function Fallback() {
  return (
    <div className="fq-boot" role="status" aria-label="加载中">
      <span className="fq-spinner" />
    </div>
  );
}

/**
 * A page whose code could not be fetched (offline, a flaky network) or that failed to render: a retry prompt
 * instead of a blank screen. Retrying reloads the page; the forms' drafts survive it.
 */
class PageBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    if (!this.state.failed) return this.props.children;
    return (
      <Screen title={S.appName} back={null}>
        <ErrorState error={{ isNetwork: true }} onRetry={() => window.location.reload()} />
      </Screen>
    );
  }
}

const signed = (page: ReactNode) => <RequireResident>{page}</RequireResident>;

export function App() {
  const navigate = useNavigate();
  const location = useLocation();
  useEffect(() => {
    // a session that ended while a page was open: back to sign-in, then back here
    setUnauthorizedHandler(() => {
      signedOut();
      const here = window.location.pathname.replace(/^\/m(?=\/|$)/, '') || '/';
      if (!here.startsWith('/login')) navigate(loginPath(here + window.location.search), { replace: true });
    });
    return () => setUnauthorizedHandler(null);
  }, [navigate]);

  return (
    <PageBoundary key={location.pathname}>
      <Suspense fallback={<Fallback />}>
        <Routes>
          <Route index element={<Home />} />
          <Route path="login" element={<Login />} />
          <Route path="p/:token" element={<PlateLayout />}>
            <Route index element={<PlateHome />} />
            <Route path="residence" element={signed(<ResidenceForm />)} />
            <Route path="rental" element={signed(<RentalForm />)} />
            <Route path="help" element={signed(<HelpForm />)} />
            <Route path="mediation" element={signed(<MediationForm />)} />
            <Route path="ebike" element={signed(<EbikeForm />)} />
            <Route path="done" element={<SubmitDone />} />
            <Route path="appointments" element={<Appointments />} />
            <Route path="tips" element={<Tips />} />
            <Route path="nearby" element={<Nearby />} />
          </Route>
          <Route path="tips/:id" element={<ArticlePage />} />
          <Route path="me" element={signed(<Me />)} />
          <Route path="me/submissions/:id" element={signed(<SubmissionDetail />)} />
          <Route path="me/submissions/:id/edit" element={signed(<EditSubmission />)} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </PageBoundary>
  );
}

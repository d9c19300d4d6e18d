// The field app (网格采集) for grid workers and police assistants, under /f/: offline first, installable.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App';
import '../shared/phone-base.css';
import './field.css';

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from field.html');
createRoot(container).render(
  <StrictMode>
    <BrowserRouter basename="/f">
      <App />
    </BrowserRouter>
  </StrictMode>,
);

// the service worker keeps the app's shell and code on the phone (production builds only: the dev server's
// modules are not precached)
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/f/sw.js', { scope: '/f/' }).catch(() => undefined);
  });
}

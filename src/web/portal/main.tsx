import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App';
import '../shared/phone-base.css';
import './portal.css';

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from portal.html');
createRoot(container).render(
  <StrictMode>
    <BrowserRouter basename="/m">
      <App />
    </BrowserRouter>
  </StrictMode>,
);

// Placeholder until the field app is built.
import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')!).render(<p>网格采集</p>);

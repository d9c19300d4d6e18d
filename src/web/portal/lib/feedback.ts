// antd-mobile's imperative Toast and Dialog render into containers of their own; with React 19 they need to be
// told how (the library's React 19 adapter). Pages take Toast and Dialog from here, so that the adapter (and the
// code it needs) loads with the first page that shows one, not with the sign-in page.
import { Dialog, Toast, unstableSetRender } from 'antd-mobile';
import { createRoot, type Root } from 'react-dom/client';

unstableSetRender((node, container) => {
  const c = container as (Element | DocumentFragment) & { _fqRoot?: Root };
  c._fqRoot ??= createRoot(c);
  const root = c._fqRoot;
  root.render(node);
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.unmount();
    delete c._fqRoot;
  };
});

export { Dialog, Toast };

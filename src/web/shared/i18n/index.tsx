import { createContext, useContext, useMemo, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import {
  getLang,
  setLang,
  subscribeLang,
  translate,
  translateDynamic,
  type Lang,
  type MessageKey,
  type Vars,
} from './core';

export type { Lang, MessageKey, Vars } from './core';
export { getLang, setLang, translate, LANGS } from './core';

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  /** Translate a known key. */
  t: (key: MessageKey, vars?: Vars) => string;
  /** Translate a key assembled at run time, e.g. `org.kind.${kind}`; unknown keys give `fallback`. */
  tx: (key: string, fallback: string, vars?: Vars) => string;
}

const I18nContext = createContext<I18n | null>(null);

function applyDocumentLang(): void {
  const lang = getLang();
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
  document.documentElement.lang = lang;
}
// Keep dayjs and <html lang> in step with the chosen language, before any component renders.
applyDocumentLang();
subscribeLang(applyDocumentLang);

export function I18nProvider({ children }: { children: ReactNode }) {
  const lang = useSyncExternalStore(subscribeLang, getLang, getLang);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => translate(key, vars, lang),
      tx: (key, fallback, vars) => translateDynamic(key, fallback, vars, lang),
    }),
    [lang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n must be used inside <I18nProvider>');
  return ctx;
}

/** Shorthand for components that only need `t`. */
export function useT(): I18n['t'] {
  return useI18n().t;
}

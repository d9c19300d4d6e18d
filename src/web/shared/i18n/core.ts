// Framework-free language state: the current language, persisted in localStorage,
// and a translate() that any module (including the API client) can use.
import zhCN from './zh-CN';
import en from './en';

export type Lang = 'zh-CN' | 'en';
export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;
export type Vars = Record<string, string | number>;

export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
const dictionaries: Record<Lang, Messages> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'fq.lang';

function readStored(): Lang {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh-CN') return stored;
  } catch {
    // storage disabled: fall through to the default
  }
  return 'zh-CN';
}

let current: Lang = typeof window === 'undefined' ? 'zh-CN' : readStored();
const listeners = new Set<() => void>();

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  if (lang === current) return;
  current = lang;
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // not persisted; the choice still applies to this page
  }
  listeners.forEach((fn) => fn());
}

export function subscribeLang(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function interpolate(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

export function translate(key: MessageKey, vars?: Vars, lang: Lang = current): string {
  return interpolate(dictionaries[lang][key] ?? dictionaries['zh-CN'][key] ?? key, vars);
}

export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(dictionaries['zh-CN'], key);
}

/** Translate a key built at run time (e.g. an enum label); unknown keys give the fallback. */
export function translateDynamic(key: string, fallback: string, vars?: Vars, lang: Lang = current): string {
  return hasMessage(key) ? translate(key, vars, lang) : fallback;
}

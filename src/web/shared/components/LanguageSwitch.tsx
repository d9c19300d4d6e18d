import { Button, Dropdown } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import type { CSSProperties } from 'react';
import { LANGS, useI18n, type Lang } from '../i18n';

const LABEL_KEYS = { 'zh-CN': 'lang.zh-CN', en: 'lang.en' } as const;
const SHORT_KEYS = { 'zh-CN': 'lang.zh-CN.short', en: 'lang.en.short' } as const;

/** Language picker; the choice is remembered in the browser. */
export function LanguageSwitch({ style, dark = false, compact = false }: { style?: CSSProperties; dark?: boolean; compact?: boolean }) {
  const { lang, setLang, t } = useI18n();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [lang],
        items: LANGS.map((l) => ({ key: l, label: t(LABEL_KEYS[l]) })),
        onClick: ({ key }) => setLang(key as Lang),
      }}
    >
      <Button
        type="text"
        icon={<GlobalOutlined />}
        aria-label={t('lang.switch')}
        data-testid="lang-switch"
        style={{ ...(dark ? { color: 'rgba(255,255,255,0.85)' } : null), ...style }}
      >
        {compact ? null : t(SHORT_KEYS[lang])}
      </Button>
    </Dropdown>
  );
}

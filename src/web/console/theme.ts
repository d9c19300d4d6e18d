import type { ThemeConfig } from 'antd';

/** Deep police blue with restrained accents. */
export const palette = {
  navy: '#0a1f44',
  navyDeep: '#061632',
  primary: '#1a4fa0',
  primaryBright: '#2f6fd6',
  gold: '#d4a72c',
  bg: '#eef2f8',
} as const;

export const consoleTheme: ThemeConfig = {
  token: {
    colorPrimary: palette.primary,
    colorInfo: palette.primary,
    colorLink: palette.primary,
    colorBgLayout: palette.bg,
    colorInfoBg: '#eef4ff',
    colorInfoBorder: '#c6d7f2',
    borderRadius: 6,
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Helvetica Neue", Arial, sans-serif',
  },
  components: {
    Layout: {
      siderBg: palette.navy,
      headerBg: '#ffffff',
      headerHeight: 56,
      headerPadding: '0 16px',
      triggerBg: palette.navyDeep,
      bodyBg: palette.bg,
      footerBg: 'transparent',
    },
    Menu: {
      darkItemBg: palette.navy,
      darkSubMenuItemBg: palette.navyDeep,
      darkPopupBg: palette.navy,
      darkItemSelectedBg: palette.primaryBright,
      darkItemColor: 'rgba(255,255,255,0.72)',
      darkItemHoverColor: '#ffffff',
      darkGroupTitleColor: 'rgba(255,255,255,0.45)',
    },
    Card: {
      headerFontSize: 15,
    },
    Table: {
      headerBg: '#f5f7fb',
    },
  },
};

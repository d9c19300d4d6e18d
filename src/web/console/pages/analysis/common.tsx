import { useEffect, useRef } from 'react';
import type { CSSProperties } from 'react';
import { Progress, Space, Tag, Tooltip, Typography } from 'antd';
import * as echarts from 'echarts/core';
import { HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { useI18n } from '../../../shared/i18n';
import type { MessageKey } from '../../../shared/i18n/core';
import type { Change, Coverage, PatrolMode, Verdict } from '../../data/analysis';

// only what these pages draw, to keep the chunk small
echarts.use([HeatmapChart, LineChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

/** One ECharts instance on a div, resized with it and disposed with the component. */
export function EChart({ option, style, testId }: { option: EChartsCoreOption; style?: CSSProperties; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current);
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(ref.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  return <div ref={ref} style={{ width: '100%', height: 300, ...style }} data-testid={testId} />;
}

const VERDICT_COLOR: Record<Verdict, string> = { up: 'red', down: 'green', noise: 'default', too_few: 'default' };

export function VerdictTag({ verdict }: { verdict: Verdict }) {
  const { t } = useI18n();
  return (
    <Tag color={VERDICT_COLOR[verdict]} style={{ marginInlineEnd: 0 }}>
      {t(`analysis.verdict.${verdict}` as MessageKey)}
    </Tag>
  );
}

/** "+30（+300%）" and the verdict, with the comparison count in a tooltip. */
export function ChangeCell({ change, kind }: { change: Change; kind: 'mom' | 'yoy' }) {
  const { t } = useI18n();
  const sign = change.change > 0 ? '+' : '';
  const color = change.verdict === 'up' ? '#cf1322' : change.verdict === 'down' ? '#389e0d' : undefined;
  return (
    <Tooltip title={t(kind === 'mom' ? 'analysis.previousCount' : 'analysis.lastYearCount', { n: change.previous })}>
      <Space size={6} wrap>
        <Typography.Text style={{ color }}>
          {sign}
          {change.change}
          {change.rate != null ? `（${sign}${change.rate}%）` : ''}
        </Typography.Text>
        <VerdictTag verdict={change.verdict} />
      </Space>
    </Tooltip>
  );
}

const MODE_COLOR: Record<PatrolMode, string> = { video: 'geekblue', patrol: 'volcano', volunteer: 'green' };

export function ModeTag({ mode }: { mode: PatrolMode }) {
  const { t } = useI18n();
  return <Tag color={MODE_COLOR[mode]}>{t(`patrol.mode.${mode}` as MessageKey)}</Tag>;
}

/** Coverage as a bar with "covered / slots". */
export function CoverageBar({ coverage, width = 160 }: { coverage: Coverage; width?: number }) {
  const { t } = useI18n();
  const pct = Math.round(coverage.rate * 100);
  return (
    <Tooltip title={t('patrol.coverageHint', { covered: coverage.covered, slots: coverage.slots, due: coverage.due })}>
      <div style={{ width }}>
        <Progress percent={pct} size="small" strokeColor={pct >= 60 ? '#389e0d' : pct >= 30 ? '#d48806' : '#cf1322'} format={() => `${coverage.covered}/${coverage.slots}`} />
      </div>
    </Tooltip>
  );
}

export const WEEKDAY_KEYS: MessageKey[] = ['analysis.weekday.0', 'analysis.weekday.1', 'analysis.weekday.2', 'analysis.weekday.3', 'analysis.weekday.4', 'analysis.weekday.5', 'analysis.weekday.6'];

/** YYYY-MM-DD HH:mm in Beijing time. */
export function bjTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Today's Beijing date. */
export function bjToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The Monday of the week a date lies in. */
export function mondayOf(day: string): string {
  const dow = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -dow);
}

import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart as Bars } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([Bars, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface BarSeries {
  name: string;
  values: Array<number | null>;
  color: string;
}

/** A horizontal bar chart of a few series over named rows (units, departments). */
export function BarChart({ labels, series, unit, height, max }: { labels: string[]; series: BarSeries[]; unit: string; height?: number; max?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    chart.setOption({
      grid: { left: 8, right: 40, top: 30, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => (v === null || v === undefined ? '—' : `${String(v)}${unit}`) },
      xAxis: { type: 'value', max, axisLabel: { formatter: `{value}${unit}` } },
      yAxis: { type: 'category', data: labels, inverse: true, axisLabel: { width: 120, overflow: 'truncate' } },
      series: series.map((s) => ({ type: 'bar', name: s.name, data: s.values, itemStyle: { color: s.color }, barMaxWidth: 14, label: { show: true, position: 'right', formatter: (p: { value: unknown }) => (p.value === null || p.value === undefined ? '' : `${String(p.value)}`) } })),
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [labels, series, unit, max]);
  return <div ref={ref} style={{ width: '100%', height: height ?? Math.max(180, labels.length * 44 + 50) }} data-testid="bar-chart" />;
}

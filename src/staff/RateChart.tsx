/**
 * The progress chart (issue 13): one bar per district (and 大学生) with its enrollment rate, the
 * coverage target drawn as a dashed line (95% in 2024, 99% in 2022), drawn with @antv/f2 on a 2d
 * canvas (charts/rate-chart-f2.ts, mounted by charts/use-f2-chart.ts; the staff subpackage only).
 *
 * Beneath the canvas, the same numbers as a list: a canvas is a picture to a screen reader and to
 * the page tests, so the list (data-testid rate-bar, data-rate) is what they read; it also stands
 * alone where no canvas can be drawn. A row without a rate (last year's figure unknown) shows 无基数.
 */
import { Canvas, Text, View } from '@tarojs/components';
import { useMemo, useState } from 'react';
import type { ProgressTable } from '@contracts/staffSeason';
import { useLargeText } from '@/services/preferences';
import { RATE_COLORS, mountRateChart, rateChartHeight, type RateBar, type RateChartSpec, type RateKind } from './charts/rate-chart-f2';
import { useF2Chart } from './charts/use-f2-chart';
import './charts/rate-chart.scss';

/** Canvas ids: a selector on the page, so unique per chart (the home and the table page may both be in the stack). */
let nextCanvas = 0;

const pct = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

export default function RateChart({ table }: { table: ProgressTable }) {
  const [canvasId] = useState(() => `hf-rate-chart-${++nextCanvas}`);
  const [large] = useLargeText();
  const target = table.targetPercent;
  const bars: RateBar[] = useMemo(
    () =>
      table.rows.map((r) => {
        const percent = pct(r.rate);
        const kind: RateKind = r.own ? 'own' : percent !== null && percent >= target ? 'met' : 'below';
        return { area: r.area, label: r.area.replace(/[区县市]$/, ''), percent, kind };
      }),
    [table.rows, target],
  );
  const spec: RateChartSpec = useMemo(() => ({ bars, targetPercent: target, large }), [bars, target, large]);
  const height = rateChartHeight(bars.length, large);
  const status = useF2Chart(canvasId, `${height}`, spec, mountRateChart);
  const canvasStyle = useMemo(() => ({ height: `${height}px` }), [height]);
  const hasOwn = bars.some((b) => b.kind === 'own');

  return (
    <View className='hf-card' data-testid='rate-chart' data-target={target} data-chart={status}>
      <Text className='hf-card__title'>各区参保率（目标 {target}%）</Text>
      {status === 'unavailable' ? null : <Canvas type='2d' id={canvasId} className='hf-rate-chart__canvas' style={canvasStyle} aria-hidden />}
      <View className='hf-rate-legend'>
        <View className='hf-rate-legend__item'>
          <View className='hf-rate-legend__target' />
          <Text data-testid='rate-target-line'>目标 {target}%</Text>
        </View>
        {hasOwn ? <Legend color={RATE_COLORS.own} text='本区' /> : null}
        <Legend color={RATE_COLORS.met} text='达到目标' />
        <Legend color={RATE_COLORS.below} text='未达目标' />
      </View>
      <View className='hf-rate-list'>
        {bars.map((b) => (
          <View key={b.area} className='hf-rate-list__item' data-testid='rate-bar' data-area={b.area} data-rate={b.percent ?? ''}>
            <View className='hf-rate-list__swatch' style={{ backgroundColor: RATE_COLORS[b.kind] }} />
            <Text className='hf-rate-list__area'>{b.label}</Text>
            <Text className='hf-rate-list__value'>{b.percent === null ? '无基数' : `${b.percent}%`}</Text>
          </View>
        ))}
      </View>
      <Text className='hf-muted'>{table.rateBase}；全市 {table.total.rate === null ? '—' : `${pct(table.total.rate)}%`}</Text>
    </View>
  );
}

function Legend({ color, text }: { color: string; text: string }) {
  return (
    <View className='hf-rate-legend__item'>
      <View className='hf-rate-list__swatch' style={{ backgroundColor: color }} />
      <Text>{text}</Text>
    </View>
  );
}

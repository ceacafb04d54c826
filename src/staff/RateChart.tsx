/**
 * The progress chart (issue 13): one bar per district (and 大学生) with its enrollment rate, the
 * coverage target drawn as a line across (95% in 2024, 99% in 2022). Drawn with plain Views, not
 * @antv/f2: see the README (a canvas chart's numbers cannot be read back by the page's tests, and
 * f2's canvas wiring for weapp's 2d canvas node was not verified here). A row without a rate (last
 * year's figure unknown) shows 无基数.
 */
import { Text, View } from '@tarojs/components';
import type { ProgressTable } from '@contracts/staffSeason';

/** The scale's top: the target line stays inside the chart even when every rate is low. */
const SCALE_MAX = 110;

export default function RateChart({ table }: { table: ProgressTable }) {
  const pct = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);
  const height = (p: number) => `${Math.min(100, (p / SCALE_MAX) * 100)}%`;
  const target = table.targetPercent;
  return (
    <View className='hf-card' data-testid='rate-chart' data-target={target}>
      <Text className='hf-card__title'>各区参保率（目标 {target}%）</Text>
      <View style={{ position: 'relative', height: '180px', display: 'flex', alignItems: 'flex-end', borderBottom: '1px solid #c9cdd4', marginTop: '8px' }}>
        <View data-testid='rate-target-line' style={{ position: 'absolute', left: 0, right: 0, bottom: height(target), borderTop: '2px dashed #d4380d' }}>
          <Text style={{ position: 'absolute', right: 0, top: '-18px', fontSize: '11px', color: '#d4380d' }}>目标 {target}%</Text>
        </View>
        {table.rows.map((r) => {
          const p = pct(r.rate);
          return (
            <View key={r.area} data-testid='rate-bar' data-area={r.area} data-rate={p ?? ''} style={{ flex: 1, height: '100%', display: 'flex', flexDirection: 'column', justifyContent: 'flex-end', alignItems: 'center', margin: '0 1px' }}>
              <Text style={{ fontSize: '9px', color: '#1d2129' }}>{p === null ? '无基数' : `${p}`}</Text>
              <View style={{ width: '70%', height: p === null ? '0' : height(p), background: r.own ? '#fa8c16' : p !== null && p >= target ? '#00b42a' : '#1677ff' }} />
            </View>
          );
        })}
      </View>
      <View style={{ display: 'flex' }}>
        {table.rows.map((r) => (
          <Text key={r.area} style={{ flex: 1, fontSize: '9px', textAlign: 'center', margin: '0 1px', wordBreak: 'break-all' }}>
            {r.area.replace(/[区县市]$/, '')}
          </Text>
        ))}
      </View>
      <Text className='hf-muted'>{table.rateBase}；全市 {table.total.rate === null ? '—' : `${pct(table.total.rate)}%`}</Text>
    </View>
  );
}

/**
 * 参保进度统计表 (subpackage `staff`; city centre and district offices): attachment 2 of the 2023
 * scheme — per district and for university students, population and last year's enrolled as the
 * document prints them, this year's enrolled counted live, the rate and the city total — with the
 * chart of the rates against the target, and the xlsx export in the attachment's layout.
 */
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { ProgressRow } from '@contracts/staffSeason';
import PageShell from '@/components/PageShell';
import { Button } from '@/ui/nutui';
import RateChart from '../../RateChart';
import { useProgress } from './use-progress';
import '../../../styles/resident.scss';

const num = (v: number | null) => (v === null ? '—' : v.toFixed(2));
const rate = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);

function Row({ r, bold }: { r: ProgressRow; bold?: boolean }) {
  const cell = { flex: 1, fontSize: '12px', padding: '4px 2px', textAlign: 'right' as const, fontWeight: bold || r.own ? ('bold' as const) : ('normal' as const) };
  return (
    <View data-testid='progress-row' data-area={r.area} style={{ display: 'flex', borderBottom: '1px solid #e5e6eb', background: r.own ? '#fff7e8' : undefined }}>
      <Text style={{ ...cell, flex: 1.3, textAlign: 'left' }}>{r.area}</Text>
      <Text style={cell}>{num(r.residentPopulationWan)}</Text>
      <Text style={cell}>{num(r.hukouPopulationWan)}</Text>
      <Text style={cell}>{num(r.lastYearEnrolledWan)}</Text>
      <Text style={cell} data-testid='progress-enrolled'>
        {r.enrolledWan.toFixed(2)}
      </Text>
      <Text style={cell} data-testid='progress-rate'>
        {rate(r.rate)}
      </Text>
    </View>
  );
}

export default function StaffProgressPage() {
  const year = Number(useRouter().params.benefitYear);
  const p = useProgress(Number.isInteger(year) && year > 2000 ? year : undefined);
  const t = p.table;
  return (
    <PageShell title='参保进度统计表' subtitle={t ? `${t.title}（截止${t.asOf}，单位：万人）` : undefined} loading={p.loading && !t} error={p.error} onRetry={p.load}>
      {t ? (
        <>
          <RateChart table={t} />
          <View className='hf-card' data-testid='progress-table'>
            <View style={{ display: 'flex', borderBottom: '2px solid #c9cdd4' }}>
              {t.headers.slice(0, 6).map((h, i) => (
                <Text key={h} style={{ flex: i === 0 ? 1.3 : 1, fontSize: '11px', fontWeight: 'bold', padding: '4px 2px', textAlign: i === 0 ? 'left' : 'right' }}>
                  {h}
                </Text>
              ))}
            </View>
            {t.rows.map((r) => (
              <Row key={r.area} r={r} />
            ))}
            <Row r={t.total} bold />
            {t.total.note ? <Text className='hf-muted'>{t.total.note}</Text> : null}
            <Text className='hf-muted'>
              {t.targetText}；{t.rateBase}
              {t.reportByDay ? `；各区每月${t.reportByDay}日前报送` : ''}
            </Text>
          </View>
          {p.problem ? (
            <View className='hf-field__error' role='alert'>
              <Text>{p.problem}</Text>
            </View>
          ) : null}
          <View className='hf-actions'>
            <Button type='primary' size='large' block loading={p.busy} disabled={p.busy} onClick={() => void p.exportXlsx()}>
              导出 Excel（附件2格式）
            </Button>
            <Button size='large' block fill='outline' onClick={() => void p.load()}>
              刷新
            </Button>
          </View>
          {p.file ? (
            <View className='hf-card' data-testid='progress-file'>
              <Text className='hf-card__text'>已生成：{p.file.fileName}（10 分钟内有效）</Text>
              {process.env.TARO_ENV === 'h5' ? (
                <a href={p.file.url} download={p.file.fileName} data-testid='progress-download'>
                  下载文件
                </a>
              ) : null}
            </View>
          ) : null}
        </>
      ) : null}
    </PageShell>
  );
}

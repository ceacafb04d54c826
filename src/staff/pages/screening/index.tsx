/**
 * 未参保人员排查 (subpackage `staff`; city centre, district offices, community workers): the
 * people of the household register not enrolled this benefit year, flagged (前两年参保今年未参保,
 * 60岁以上, 学生年龄段, 资助参保对象), per district or community; record a visit's outcome, export
 * the list, remind those who can receive a reminder. A person who pays leaves the list at once.
 */
import { Text, View } from '@tarojs/components';
import type { ScreeningEntryView } from '@contracts/staffSeason';
import PageShell from '@/components/PageShell';
import { Choices } from '@/components/resident/Field';
import { Button } from '@/ui/nutui';
import { useScreening, type Flag, type Outcome } from './use-screening';
import '../../../styles/resident.scss';

const FLAGS: Array<{ value: Flag | 'all'; label: string }> = [
  { value: 'all', label: '全部' },
  { value: 'lapsed', label: '前两年参保今年未参保' },
  { value: 'over60', label: '60岁以上' },
  { value: 'studentAge', label: '学生年龄段' },
  { value: 'assisted', label: '资助参保对象' },
];
const OUTCOMES: Array<{ value: Outcome; label: string }> = [
  { value: 'will_pay', label: '承诺缴费' },
  { value: 'enrolled_elsewhere', label: '已在外地参保' },
  { value: 'employee_insurance', label: '已参加职工医保' },
  { value: 'moved_away', label: '已迁出' },
  { value: 'refused', label: '拒绝参保' },
];
const OUTCOME_TEXT = Object.fromEntries(OUTCOMES.map((o) => [o.value, o.label])) as Record<Outcome, string>;
const FLAG_TEXT: Record<string, string> = { lapsed: '前两年参保今年未参保', over60: '60岁以上', studentAge: '学生年龄段', assisted: '资助参保对象' };

function Entry({ e, onVisit, busy }: { e: ScreeningEntryView; onVisit: (o: Outcome) => void; busy: boolean }) {
  const flags = Object.entries(e.flags).filter(([, on]) => on).map(([k]) => FLAG_TEXT[k]);
  return (
    <View className='hf-card' data-testid='screening-entry' data-entry={e.entryId}>
      <Text className='hf-card__title'>
        {e.name} {e.idMasked}
      </Text>
      <Text className='hf-card__text'>
        {e.district} {e.township} {e.community}
      </Text>
      {flags.length ? <Text className='hf-field__error'>{flags.join('、')}</Text> : null}
      {e.visit ? (
        <Text className='hf-card__text' data-testid='screening-visit'>
          走访：{OUTCOME_TEXT[e.visit.outcome]}（{e.visit.byName}）
        </Text>
      ) : (
        <Text className='hf-muted'>未走访</Text>
      )}
      {e.reminded ? <Text className='hf-muted'>已发送缴费提醒</Text> : null}
      {e.status === 'open' ? (
        <View style={{ display: 'flex', flexWrap: 'wrap', gap: '6px', marginTop: '6px' }}>
          {OUTCOMES.map((o) => (
            <Button key={o.value} size='small' fill='outline' disabled={busy} onClick={() => onVisit(o.value)} data-outcome={o.value}>
              {o.label}
            </Button>
          ))}
        </View>
      ) : null}
    </View>
  );
}

export default function StaffScreeningPage() {
  const s = useScreening();
  const sum = s.summary;
  return (
    <PageShell
      title='未参保人员排查'
      subtitle={sum ? `${sum.benefitYear}年度 · 排查阶段 ${sum.period.start} 至 ${sum.period.end} · 比对 ${sum.comparedWith.join('、')} 年度参保情况` : undefined}
      loading={s.loading && !s.items.length && !sum}
      error={s.error}
      onRetry={() => void s.load(s.flag, s.status)}
    >
      {sum ? (
        <View className='hf-card' data-testid='screening-summary'>
          <Text className='hf-card__title'>{sum.groupedBy === 'district' ? '各区未参保人数' : '各社区未参保人数'}</Text>
          {sum.lastRun ? <Text className='hf-muted'>最近一次比对：{sum.lastRun.finishedAt ? sum.lastRun.finishedAt.slice(0, 10) : '进行中'}</Text> : <Text className='hf-muted'>市医保中心尚未进行比对</Text>}
          {sum.groups.map((g) => (
            <View key={g.name} className='hf-explain' data-testid='screening-group' data-name={g.name}>
              <Text className='hf-explain__title'>
                {g.name}：未参保 {g.open} 人，未走访 {g.unvisited} 人
              </Text>
              <Text className='hf-explain__line'>
                前两年参保 {g.lapsed} · 60岁以上 {g.over60} · 学生年龄段 {g.studentAge} · 资助对象 {g.assisted}
              </Text>
            </View>
          ))}
        </View>
      ) : null}
      <Choices name='flag' columns={2} options={FLAGS} value={s.flag || 'all'} onChange={(v) => s.setFlag(v === 'all' ? '' : (v as Flag))} />
      <Choices
        name='status'
        columns={3}
        options={[
          { value: 'open', label: '待跟进' },
          { value: 'unvisited', label: '未走访' },
          { value: 'closed', label: '已办结' },
        ]}
        value={s.status}
        onChange={(v) => s.setStatus(v as 'open' | 'unvisited' | 'closed')}
      />
      <Text className='hf-section-title' data-testid='screening-total'>
        共 {s.total} 人
      </Text>
      {s.message ? (
        <View className='hf-card' data-testid='screening-message'>
          <Text className='hf-card__text'>{s.message}</Text>
        </View>
      ) : null}
      <View className='hf-actions'>
        <Button type='primary' size='large' block disabled={s.busy} onClick={() => void s.exportList()}>
          导出名单（Excel）
        </Button>
        <Button size='large' block fill='outline' disabled={s.busy} onClick={() => void s.remindShown()}>
          向本页可接收提醒的人员发送缴费提醒
        </Button>
      </View>
      {s.file ? (
        <View className='hf-card' data-testid='screening-file'>
          <Text className='hf-card__text'>
            已生成：{s.file.fileName}，共 {s.file.rows} 人（10 分钟内有效）
          </Text>
          {process.env.TARO_ENV === 'h5' ? (
            <a href={s.file.url} download={s.file.fileName} data-testid='screening-download'>
              下载文件
            </a>
          ) : null}
        </View>
      ) : null}
      {!s.loading && !s.items.length ? <Text className='hf-muted'>没有符合条件的人员</Text> : null}
      {s.items.map((e) => (
        <Entry key={e.entryId} e={e} busy={s.busy} onVisit={(o) => void s.visit(e.entryId, o)} />
      ))}
      {s.items.length < s.total ? (
        <Button size='large' block fill='outline' disabled={s.loading} onClick={() => void s.more()}>
          加载更多
        </Button>
      ) : null}
    </PageShell>
  );
}

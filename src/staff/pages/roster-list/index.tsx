/**
 * 名单与代收 (subpackage `staff`): one faculty's students on the pending list with their status
 * (待参保, 已微信缴费, 学校已代收 with its date, benefit start), filtered by status; for a
 * university, ticking the students whose fee it collected with tuition, the collection date and
 * the batch number (its receipt number), recorded as one batch — each student answered on its own
 * (a student who paid by WeChat meanwhile is left out, never charged twice).
 */
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import PageShell from '@/components/PageShell';
import { Choices, Field } from '@/components/resident/Field';
import { Row } from '@/components/resident/QuoteBreakdown';
import { Nowrap, Yuan } from '@/components/resident/Nowrap';
import { Button, Input } from '@/ui/nutui';
import { useStaffStatus } from '@/services/staff';
import { ROSTER_STATUS_TEXT } from '@/services/staff-roster';
import { useRosterList } from './use-roster-list';
import '../../../styles/resident.scss';

type Filter = 'all' | 'pending' | 'paid_wechat' | 'collected';
const FILTERS: Array<{ value: Filter; label: string }> = [
  { value: 'all', label: '全部' },
  { value: 'pending', label: '待参保' },
  { value: 'paid_wechat', label: '微信已缴' },
  { value: 'collected', label: '学校代收' },
];

export default function RosterListPage() {
  const { params } = useRouter();
  const year = Number(params.year);
  const faculty = decodeURIComponent(params.faculty ?? '');
  const orgId = params.orgId || undefined;
  const who = useStaffStatus();
  const x = useRosterList(year, faculty, orgId);
  const collects = who.status?.staff && who.status.role === 'university' && !orgId;
  const names = Object.fromEntries(x.items.map((i) => [i.entryId, i.name]));
  return (
    <PageShell title={faculty || '学生名单'} subtitle={`${x.orgName} · ${year}年度`} loading={(x.loading && !x.items.length) || who.loading} error={x.error ?? who.error} onRetry={() => void x.reload()} backControl>
      <Choices<Filter> name='status' columns={2} value={(x.status as Filter | undefined) ?? 'all'} options={FILTERS} onChange={(v) => x.setStatus(v === 'all' ? undefined : v)} />
      {x.batch ? (
        <View className='hf-card' role='status' data-testid='batch-result'>
          <Text className='hf-card__title'>
            批次 {x.batch.batchNo}：已登记代收 {x.batch.count} 人，合计 <Yuan fen={x.batch.totalFen} unit />
          </Text>
          <Row label='代收日期' value={<Nowrap>{x.batch.collectedOn}</Nowrap>} />
          {x.batch.results
            .filter((r) => !r.ok)
            .map((r) => (
              <Text key={r.entryId} className='hf-field__error' data-testid='batch-refused'>
                {names[r.entryId] ?? '该学生'}：{r.message}
              </Text>
            ))}
        </View>
      ) : null}
      {x.items.length === 0 && !x.loading ? <Text className='hf-card__text'>没有符合条件的学生</Text> : null}
      {x.items.map((i) => {
        const selectable = collects && i.status === 'pending';
        return (
          <View
            key={i.entryId}
            className={`hf-choice${x.selected[i.entryId] ? ' hf-choice--on' : ''}`}
            role={selectable ? 'checkbox' : undefined}
            aria-checked={selectable ? !!x.selected[i.entryId] : undefined}
            data-testid='roster-entry'
            onClick={selectable ? () => x.toggle(i.entryId) : undefined}
          >
            <Text className='hf-choice__label'>
              {i.studentNo} · {i.name} · {i.grade}
              {i.newStudent ? ' · 新生' : ''}
            </Text>
            <Text className='hf-choice__desc'>
              <Nowrap>{i.idMasked}</Nowrap> · {ROSTER_STATUS_TEXT[i.status] ?? i.statusText}
              {i.collectedOn ? <Nowrap>（代收日期 {i.collectedOn}）</Nowrap> : null}
              {i.benefitStart ? <Nowrap> · 待遇自 {i.benefitStart} 起</Nowrap> : null}
            </Text>
          </View>
        );
      })}
      {x.more ? (
        <Button size='large' block fill='outline' onClick={() => void x.loadMore()}>
          加载更多
        </Button>
      ) : null}
      {collects ? (
        <View className='hf-card' data-testid='batch-form'>
          <Text className='hf-card__title'>登记学校代收（随学费一并收取）</Text>
          <Text className='hf-card__text'>勾选已随学费收取医保费的学生，填写代收日期和批次号后登记；学校按批次合计金额到税务部门汇缴。已微信缴费的学生不会重复收费。</Text>
          <Button size='small' fill='outline' onClick={x.selectAllPending}>
            勾选本页全部待参保学生
          </Button>
          <Field label='代收日期' error={x.fieldError.collectedOn} hint='学校收取费用的日期，例如 2023-09-15；新生自该日起享受待遇（按当年度方案）'>
            <View className='hf-field__box'>
              <Input name='collectedOn' value={x.collectedOn} placeholder='年-月-日' maxLength={10} onChange={x.setCollectedOn} />
            </View>
          </Field>
          <Field label='批次号' error={x.fieldError.batchNo} hint='学校本批代收的收款收据号码；重复提交同一批次不会重复登记'>
            <View className='hf-field__box'>
              <Input name='batchNo' value={x.batchNo} placeholder='例如 SJ2023-0001' maxLength={32} onChange={x.setBatchNo} />
            </View>
          </Field>
          {x.actionError ? (
            <View className='hf-field__error' role='alert'>
              <Text>{x.actionError}</Text>
            </View>
          ) : null}
          <Button type='primary' size='large' block loading={x.busy} disabled={x.busy} onClick={() => void x.record()}>
            登记代收（已选 {x.chosen.length} 人）
          </Button>
        </View>
      ) : null}
    </PageShell>
  );
}

/**
 * 医保登记同步 (subpackage `staff`): the registrations 医保信息平台 refused in the caller's scope,
 * with the reason and what the resident is told, and 重新提交 once the facts are corrected; for the
 * city centre also the daily batches (报送 / 回盘), 立即报送 and 获取回盘 with the job's progress.
 * Role and scope are checked by the function.
 */
import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { InsuranceJobView, RefusedItem } from '@contracts/staffInsurance';
import PageShell from '@/components/PageShell';
import { Field } from '@/components/resident/Field';
import { Row } from '@/components/resident/QuoteBreakdown';
import { Nowrap } from '@/components/resident/Nowrap';
import { Button, Input } from '@/ui/nutui';
import { useStaffStatus } from '@/services/staff';
import { useInsurance } from './use-insurance';
import '../../../styles/resident.scss';

const PHASE_TEXT: Record<string, string> = { collect: '汇总待报送人员', submit: '生成并报送文件', apply: '处理回盘', done: '已完成', queued: '排队中' };

function JobProgress({ job }: { job: InsuranceJobView }) {
  const r = job.report as Record<string, number | string> | null;
  return (
    <View className='hf-card' data-testid='insurance-job' role='status'>
      <Text className='hf-card__title'>{job.kind === 'insurance_export' ? '报送任务' : '回盘任务'}</Text>
      <Row label='状态' value={job.status === 'running' ? `进行中：${PHASE_TEXT[job.phase] ?? job.phase}` : job.status === 'done' ? '已完成' : '失败'} />
      <Row label='进度' value={<Nowrap>{job.progress.total ? `${job.progress.done} / ${job.progress.total}` : `${job.progress.done} 人`}</Nowrap>} />
      {r && 'rows' in r ? <Row label='报送' value={`批次 ${r.batchNo}，${r.rows} 人`} /> : null}
      {r && 'registered' in r ? <Row label='回盘' value={`已参保 ${r.registered} 人，退回 ${r.refused} 人`} /> : null}
      {job.error ? (
        <View className='hf-field__error' role='alert'>
          <Text>{job.error.message}</Text>
        </View>
      ) : null}
    </View>
  );
}

function RefusedCard({ item, resubmit }: { item: RefusedItem; resubmit: (id: string, note: string) => Promise<string | null> }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <View className='hf-card' data-testid='refused-item' data-person={item.name}>
      <View className='hf-person__head'>
        <Text className='hf-person__name'>{item.name}</Text>
        <Text className='hf-badge hf-badge--todo'>退回 {item.code}</Text>
      </View>
      <Row label='证件号码' value={<Nowrap>{item.idMasked ?? '—'}</Nowrap>} />
      <Row label='所属社区' value={[item.district, item.community].filter(Boolean).join(' ') || '—'} />
      <Row label='参保年度' value={`${item.benefitYear}年度`} />
      <Row label='退回日期' value={<Nowrap>{item.refusedOn}</Nowrap>} />
      <Text className='hf-card__text'>原因：{item.reason}</Text>
      <Text className='hf-muted'>居民看到的办理提示：{item.whatToDo}</Text>
      {open ? (
        <View>
          <Field label='更正说明' error={error ?? undefined} hint='例如：已核对身份证，姓名已更正'>
            <View className='hf-field__box'>
              <Input name='resubmitNote' value={note} maxLength={100} onChange={setNote} />
            </View>
          </Field>
          <Button type='primary' size='large' block onClick={async () => setError(await resubmit(item.enrollmentId, note))}>
            确认重新提交
          </Button>
        </View>
      ) : (
        <Button size='large' block fill='outline' onClick={() => setOpen(true)}>
          已更正，重新提交
        </Button>
      )}
    </View>
  );
}

export default function InsurancePage() {
  const who = useStaffStatus();
  const city = !!who.status?.staff && who.status.role === 'city';
  const x = useInsurance(city);
  return (
    <PageShell title='医保登记同步' subtitle='已缴费人员每个工作日报送医保信息平台' loading={(x.loading && !x.refused.length) || who.loading} error={x.error ?? who.error} onRetry={() => void x.reload()}>
      {x.notice ? (
        <View className='hf-notice' role='status'>
          <Text>{x.notice}</Text>
        </View>
      ) : null}
      {x.actionError ? (
        <View className='hf-field__error' role='alert'>
          <Text>{x.actionError}</Text>
        </View>
      ) : null}
      {city ? (
        <View className='hf-card' data-testid='insurance-sync'>
          <Text className='hf-card__title'>报送与回盘</Text>
          {x.day ? (
            <Text className='hf-muted'>
              今天 {x.day.today}，{x.day.workingDay ? '工作日，17:00 后自动报送' : '非工作日，不自动报送'}
              {x.day.calendarKnown ? '' : '（本年节假日安排尚未公布，按周末计算）'}
            </Text>
          ) : null}
          <View className='hf-actions'>
            <Button type='primary' size='large' block loading={x.busy} disabled={x.busy || x.job?.status === 'running'} onClick={() => void x.startExport()}>
              立即报送
            </Button>
            <Button size='large' block fill='outline' disabled={x.busy} onClick={() => void x.fetchAnswers()}>
              获取回盘
            </Button>
          </View>
        </View>
      ) : null}
      {city && x.job ? <JobProgress job={x.job} /> : null}
      {city && x.batches.length ? (
        <View className='hf-card' data-testid='insurance-batches'>
          <Text className='hf-card__title'>最近批次</Text>
          {x.batches.map((b) => (
            <View key={b.batchNo} className='hf-explain' data-testid='insurance-batch'>
              <Row label={b.batchNo} value={b.stateText} strong />
              <Text className='hf-muted'>
                报送 {b.rows} 人 · 已参保 {b.registered} 人 · 退回 {b.refused} 人 · {b.origin === 'timer' ? '定时' : '手动'}
              </Text>
            </View>
          ))}
        </View>
      ) : null}
      <Text className='hf-card__title'>医保系统退回（{x.refused.length}）</Text>
      {x.refused.length ? (
        x.refused.map((i) => <RefusedCard key={i.enrollmentId} item={i} resubmit={x.resubmit} />)
      ) : (
        <Text className='hf-card__text' data-testid='refused-empty'>
          没有被退回的参保登记
        </Text>
      )}
    </PageShell>
  );
}

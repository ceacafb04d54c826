/**
 * 多缴核对名单 (subpackage `staff`): people who had paid the full (or a higher) amount before a
 * list put them under assistance, with what they paid, what they owe now and the difference.
 * District offices and the city give the difference back (退还差额): a WeChat payment by a refund
 * to the paying account (the person stays enrolled), a cash or school-collected payment by
 * recording the cash handed back. Community workers and departments read the list.
 */
import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { ReconciliationItem, ReconciliationWay } from '@contracts/staffLists';
import PageShell from '@/components/PageShell';
import { Field } from '@/components/resident/Field';
import { Row } from '@/components/resident/QuoteBreakdown';
import { Nowrap, Yuan } from '@/components/resident/Nowrap';
import { Button, Input } from '@/ui/nutui';
import { useStaffStatus } from '@/services/staff';
import { beijingTime } from '../../review-text';
import { useReconciliation } from './use-reconciliation';
import '../../../styles/resident.scss';

const CHANNEL_TEXT: Record<ReconciliationItem['channel'], string> = { wechat: '微信支付', cash: '社区窗口现金', university: '学校代收' };
const WAY_TEXT: Record<ReconciliationWay, string> = { wechat_refund: '微信原路退还', cash_returned: '已退还现金' };

function SettleForm({ item, busy, settle }: { item: ReconciliationItem; busy: boolean; settle: (way: ReconciliationWay, note: string) => Promise<string | null> }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const way: ReconciliationWay = item.channel === 'wechat' ? 'wechat_refund' : 'cash_returned';
  if (!open)
    return (
      <Button size='large' block fill='outline' onClick={() => setOpen(true)}>
        退还差额 <Yuan fen={item.differenceFen} />
      </Button>
    );
  return (
    <View data-testid='settle-form'>
      <Text className='hf-card__text'>
        {way === 'wechat_refund'
          ? `将差额按原路退回付款的微信账户，退款后该人员仍为已缴费。`
          : `请先在窗口把差额现金交给本人或其家属，再在此登记。`}
      </Text>
      <Field label='办理说明' error={problem ?? undefined} hint={way === 'wechat_refund' ? '例如：列入低保，差额原路退还' : '例如：差额现金已退还，收据号 2023-0001'}>
        <View className='hf-field__box'>
          <Input name='settleNote' value={note} maxLength={100} onChange={setNote} />
        </View>
      </Field>
      <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={async () => setProblem(await settle(way, note))}>
        确认{WAY_TEXT[way]} <Yuan fen={item.differenceFen} />
      </Button>
    </View>
  );
}

function Entry({ item, canSettle, busy, settle }: { item: ReconciliationItem; canSettle: boolean; busy: boolean; settle: (way: ReconciliationWay, note: string) => Promise<string | null> }) {
  return (
    <View className='hf-card' data-testid='reconciliation-item' data-status={item.status}>
      <View className='hf-person__head'>
        <Text className='hf-person__name'>
          {item.name} <Nowrap>{item.idMasked}</Nowrap>
        </Text>
        <Text className={`hf-badge hf-badge--${item.status === 'settled' ? 'done' : 'todo'}`}>{item.status === 'settled' ? '已退还差额' : '待退还差额'}</Text>
      </View>
      <Row label='资助类别' value={`${item.category}（${item.percent}%）`} />
      <Row label='已缴' value={<Yuan fen={item.paidFen} />} />
      <Row label='现应缴' value={<Yuan fen={item.dueFen} />} />
      <Row label='差额' value={<Yuan fen={item.differenceFen} />} strong />
      <Row label='缴费方式' value={CHANNEL_TEXT[item.channel]} />
      <Row label='所属' value={`${item.township ?? ''}${item.community ?? ''}` || '—'} />
      {item.status === 'settled' ? (
        <View data-testid='settled'>
          <Row label='办理' value={`${item.settledWay ? WAY_TEXT[item.settledWay] : ''}${item.refundStatusText ? `（${item.refundStatusText}）` : ''}`} />
          {item.settledAt ? <Row label='办理时间' value={<Nowrap>{beijingTime(item.settledAt)}</Nowrap>} /> : null}
          {item.settleNote ? <Row label='说明' value={item.settleNote} /> : null}
        </View>
      ) : canSettle ? (
        <SettleForm item={item} busy={busy} settle={settle} />
      ) : (
        <Text className='hf-muted'>差额由区医保部门办理退还</Text>
      )}
    </View>
  );
}

export default function ReconciliationPage() {
  const who = useStaffStatus();
  const r = useReconciliation();
  const role = who.status?.staff ? who.status.role : null;
  const canSettle = role === 'district' || role === 'city';
  return (
    <PageShell title='多缴核对名单' subtitle='已按原金额缴费、后列入资助名单的人员' loading={r.loading && !r.items.length} error={r.error} onRetry={() => void r.load(0)} backControl>
      <View className='hf-choices'>
        {r.years.map((y) => (
          <View key={y} className={`hf-choice${r.year === y ? ' hf-choice--on' : ''}`} role='radio' aria-checked={r.year === y} onClick={() => r.setYear(y)}>
            <Text className='hf-choice__label'>{y}年度</Text>
          </View>
        ))}
      </View>
      <Text className='hf-card__text' data-testid='reconciliation-total'>
        共 {r.total} 人
      </Text>
      {r.items.length === 0 && !r.loading ? (
        <View className='hf-card'>
          <Text className='hf-card__text'>没有需要核对的人员</Text>
        </View>
      ) : null}
      {r.items.map((i) => (
        <Entry key={i.entryId} item={i} canSettle={canSettle} busy={r.busy === i.entryId} settle={(way, note) => r.settle(i, way, note)} />
      ))}
      {r.items.length < r.total ? (
        <Button size='large' block fill='outline' disabled={r.loading} onClick={r.more}>
          加载更多
        </Button>
      ) : null}
    </PageShell>
  );
}

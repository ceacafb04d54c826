/**
 * 缴费退款 (subpackage `staff`, district and city): the refunds of the caller's scope with their
 * state, and a WeChat Pay payment found by its 商户订单号 whose part for one person can be refunded
 * with a reason (为他人误缴, 已在社区窗口现金缴费, 其他) and a note. The person is then no longer
 * enrolled by that payment; role and scope are checked by the function, and every refund audited.
 */
import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { StaffPaymentView, StaffRefundView } from '@contracts/staffPayments';
import PageShell from '@/components/PageShell';
import { Field } from '@/components/resident/Field';
import { Row } from '@/components/resident/QuoteBreakdown';
import { Nowrap, Yuan } from '@/components/resident/Nowrap';
import { Button, Input } from '@/ui/nutui';
import { beijingTime } from '../../review-text';
import { RefundReason, useRefunds } from './use-refunds';
import '../../../styles/resident.scss';

const REASONS: Array<{ code: RefundReason; text: string }> = [
  { code: 'wrong_person', text: '为他人误缴' },
  { code: 'duplicate_with_cash', text: '已在社区窗口现金缴费' },
  { code: 'other', text: '其他原因' },
];

function RefundCard({ r }: { r: StaffRefundView }) {
  return (
    <View className='hf-card' data-testid='staff-refund'>
      <View className='hf-person__head'>
        <Text className='hf-person__name'>{r.name ? `${r.name} ${r.benefitYear}年度` : '整笔退款'}</Text>
        <Text className={`hf-badge hf-badge--${r.status === 'succeeded' ? 'done' : r.status === 'failed' ? 'off' : 'todo'}`}>{r.statusText}</Text>
      </View>
      <Row label='退款金额' value={<Yuan fen={r.amountFen} />} />
      <Row label='原因' value={r.causeText} />
      <Row label='商户订单号' value={<Nowrap>{r.outTradeNo}</Nowrap>} />
      <Row label='申请时间' value={<Nowrap>{beijingTime(r.createdAt)}</Nowrap>} />
    </View>
  );
}

function PartForm({ item, refund, busy }: { item: StaffPaymentView['items'][number]; refund: (reason: RefundReason, note: string) => Promise<string | null>; busy: boolean }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<RefundReason>('wrong_person');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!item.inScope) return <Text className='hf-muted'>不在本辖区，不能办理</Text>;
  if (!open)
    return (
      <Button size='large' block fill='outline' onClick={() => setOpen(true)}>
        为{item.name}退款
      </Button>
    );
  return (
    <View data-testid='refund-form'>
      <View className='hf-choices hf-choices--3' role='radiogroup' aria-label='退款原因'>
        {REASONS.map((r) => (
          <View key={r.code} className={`hf-choice${reason === r.code ? ' hf-choice--on' : ''}`} role='radio' aria-checked={reason === r.code} onClick={() => setReason(r.code)}>
            <Text>{r.text}</Text>
          </View>
        ))}
      </View>
      <Field label='办理说明' error={error ?? undefined} hint='例如：核实为他人误缴，本人同意退款'>
        <View className='hf-field__box'>
          <Input name='refundNote' value={note} maxLength={100} onChange={setNote} />
        </View>
      </Field>
      <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={async () => setError(await refund(reason, note))}>
        确认退款
      </Button>
    </View>
  );
}

export default function RefundsPage() {
  const x = useRefunds();
  const [no, setNo] = useState('');
  return (
    <PageShell title='缴费退款' subtitle='微信支付的缴费按原路退回；重复缴费等由系统自动退款' loading={x.loading && !x.refunds.length} error={x.error} onRetry={() => void x.load()}>
      {x.notice ? (
        <View className='hf-notice' role='status'>
          <Text>{x.notice}</Text>
        </View>
      ) : null}
      <View className='hf-card' data-testid='payment-search'>
        <Field label='商户订单号' error={x.actionError ?? undefined} hint='见居民缴费凭证上的商户订单号'>
          <View className='hf-field__box'>
            <Input name='outTradeNo' value={no} maxLength={32} onChange={setNo} />
          </View>
        </Field>
        <Button type='primary' size='large' block loading={x.busy} disabled={x.busy} onClick={() => void x.find(no)}>
          查找缴费
        </Button>
      </View>
      {x.payment ? (
        <View className='hf-card' data-testid='staff-payment'>
          <Text className='hf-card__title'>缴费 <Yuan fen={x.payment.totalFeeFen} /></Text>
          <Row label='缴费时间' value={<Nowrap>{beijingTime(x.payment.paidAt)}</Nowrap>} />
          <Row label='交易单号' value={<Nowrap>{x.payment.transactionId}</Nowrap>} />
          {x.payment.items.map((i) => {
            // The assistance difference (多缴核对) leaves the rest of the part refundable here.
            const done = x.payment!.refunds.find((r) => r.personId === i.personId && r.benefitYear === i.benefitYear && r.cause !== 'assistance_difference');
            return (
              <View key={`${i.personId}-${i.benefitYear}`} className='hf-explain'>
                <Row label={`${i.name} ${i.benefitYear}年度`} value={<Yuan fen={i.amountFen} />} strong />
                <Text className='hf-muted'>
                  <Nowrap>{i.idMasked ?? '新生儿'}</Nowrap>
                </Text>
                {done ? <Text className='hf-card__text'>已退款申请：{done.statusText}（{done.causeText}）</Text> : <PartForm item={i} busy={x.busy} refund={(reason, note) => x.refund(i, reason, note)} />}
              </View>
            );
          })}
        </View>
      ) : null}
      <Text className='hf-card__title'>本辖区退款（{x.refunds.length}）</Text>
      {x.refunds.length ? (
        x.refunds.map((r) => <RefundCard key={r.outRefundNo} r={r} />)
      ) : (
        <Text className='hf-card__text' data-testid='refunds-empty'>
          暂无退款
        </Text>
      )}
    </PageShell>
  );
}

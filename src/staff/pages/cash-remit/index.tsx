/**
 * 现金汇缴 (subpackage `staff`): per community, the unremitted cash, its oldest day and the
 * alerts of the remittance rule (30 days or 200,000 yuan; the year's rule is shown with its
 * clause); recording a remittance with the tax voucher number; for district offices, the
 * reversal of a cash payment taken by mistake. Role and scope are checked by the function.
 */
import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { CashReceipt } from '@contracts/staffCash';
import PageShell from '@/components/PageShell';
import { Field } from '@/components/resident/Field';
import { Row } from '@/components/resident/QuoteBreakdown';
import { Nowrap, Yuan } from '@/components/resident/Nowrap';
import { Button, Input } from '@/ui/nutui';
import { shanghaiTime } from '@/services/format';
import { useStaffStatus } from '@/services/staff';
import { useCashRemit } from './use-cash-remit';
import '../../../styles/resident.scss';

const ALERT_TEXT = { age: '已超过汇缴期限', amount: '金额已达到汇缴标准' } as const;

function ReverseBox({ item, reverse }: { item: CashReceipt; reverse: (no: string, reason: string) => Promise<string | null> }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!open) {
    return (
      <Button size='small' fill='outline' type='danger' onClick={() => setOpen(true)}>
        冲正
      </Button>
    );
  }
  return (
    <View data-testid='reverse-box'>
      <Field label='冲正原因' error={error ?? undefined} hint='例如：误收，该居民已在外地参保'>
        <View className='hf-field__box'>
          <Input name='reverseReason' value={reason} maxLength={100} onChange={setReason} />
        </View>
      </Field>
      <Button size='large' block type='danger' onClick={async () => setError(await reverse(item.receiptNo, reason))}>
        确认冲正
      </Button>
    </View>
  );
}

export default function CashRemitPage() {
  const who = useStaffStatus();
  const x = useCashRemit();
  const district = who.status?.staff && who.status.role === 'district';
  const rule = x.summary?.rule;
  return (
    <PageShell title='现金汇缴' subtitle='社区收取的现金须按期汇缴入库' loading={x.loading || who.loading} error={x.error ?? who.error} onRetry={() => void x.reload()}>
      {x.notice ? (
        <View className='hf-notice' role='status'>
          <Text>{x.notice}</Text>
        </View>
      ) : null}
      {rule ? (
        <Text className='hf-muted' data-testid='remit-rule'>
          汇缴规定：收款后{rule.withinDays}天内，或金额达到{rule.orWhenReachesFen / 1_000_000}万元时汇缴入库（{rule.clause}）
        </Text>
      ) : null}
      {x.summary?.communities.length ? (
        x.summary.communities.map((c) => (
          <View key={c.communityId} className='hf-card' data-testid='remit-community'>
            <View className='hf-person__head'>
              <Text className='hf-person__name'>{c.community}</Text>
              {c.alerts.map((a) => (
                <Text key={a} className='hf-badge hf-badge--todo' data-testid='remit-alert'>
                  {ALERT_TEXT[a]}
                </Text>
              ))}
            </View>
            <Row label='未汇缴金额' value={<Yuan fen={c.unremittedFen} />} strong />
            <Row label='笔数' value={String(c.count)} />
            <Row label='最早未汇缴' value={<Nowrap>{c.oldestDay ? `${c.oldestDay}（${c.ageDays}天）` : '—'}</Nowrap>} />
          </View>
        ))
      ) : (
        <Text className='hf-card__text'>没有未汇缴的现金</Text>
      )}
      {x.items.length ? (
        <View className='hf-card' data-testid='remit-list'>
          <Text className='hf-card__title'>未汇缴票据</Text>
          {x.items.map((i) => (
            <View key={i.receiptNo} className='hf-explain' data-testid='remit-item'>
              <View className={`hf-choice${x.selected[i.receiptNo] ? ' hf-choice--on' : ''}`} role='checkbox' aria-checked={!!x.selected[i.receiptNo]} onClick={() => x.toggle(i.receiptNo)}>
                <Text className='hf-choice__label'>
                  {i.receiptNo} · {i.personName} · <Yuan fen={i.amountFen} unit />
                </Text>
                <Text className='hf-choice__desc'>
                  {i.community} · {shanghaiTime(i.takenAt)} · {i.takenBy}
                </Text>
              </View>
              {district ? <ReverseBox item={i} reverse={x.reverse} /> : null}
            </View>
          ))}
          <Field label='完税凭证号码' error={x.voucherError} hint='税务部门出具的完税凭证（缴款书）号码'>
            <View className='hf-field__box'>
              <Input name='voucherNo' value={x.voucherNo} placeholder='按完税凭证上的号码填写' maxLength={40} onChange={x.setVoucherNo} />
            </View>
          </Field>
          {x.actionError ? (
            <View className='hf-field__error' role='alert'>
              <Text>{x.actionError}</Text>
            </View>
          ) : null}
          <Button type='primary' size='large' block loading={x.busy} disabled={x.busy} onClick={() => void x.remit()}>
            登记汇缴（已选 {x.chosen.length} 笔）
          </Button>
        </View>
      ) : null}
    </PageShell>
  );
}

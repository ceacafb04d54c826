/**
 * Money given back through WeChat Pay for one payment (issue 14): who, how much, 已退款 or
 * 退款处理中, and why in plain words. Shown in the payment records and on the receipt.
 */
import { Text, View } from '@tarojs/components';
import type { PaymentRecord } from '@contracts/resident';
import { Row } from '@/components/resident/QuoteBreakdown';
import { Nowrap, Yuan } from '@/components/resident/Nowrap';

export default function RefundRows({ r }: { r: PaymentRecord }) {
  if (!r.refunds?.length) return null;
  return (
    <View data-testid='refunds'>
      {r.refunds.map((f, i) => {
        const who = f.personId ? r.items.find((x) => x.personId === f.personId && x.benefitYear === f.benefitYear) : null;
        const label = who ? `${who.name} ${who.benefitYear}年度退款` : '全额退款';
        return (
          <View key={i} data-testid='refund'>
            <Row
              label={label}
              value={
                <Nowrap>
                  <Yuan fen={f.amountFen} /> {f.statusText}
                </Nowrap>
              }
            />
            <Text className='hf-muted'>退款原因：{f.reason}。退款按原路退回微信支付账户。</Text>
          </View>
        );
      })}
    </View>
  );
}

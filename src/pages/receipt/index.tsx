/**
 * A payment receipt: print-friendly in H5 (window.print), a screenshot-sized card in weapp.
 * The official tax receipt comes from the tax system; this page says so.
 */
import { useEffect, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { PaymentRecord } from '@contracts/resident';
import PageShell from '@/components/PageShell';
import { Row } from '@/components/resident/QuoteBreakdown';
import { Button } from '@/ui/nutui';
import { resident } from '@/services/resident';
import { shanghaiTime } from '@/services/format';
import { byPerson, PAYEE, TAX_RECEIPT_NOTE } from '@/services/receipt';
import { Nowrap, Yuan } from '@/components/resident/Nowrap';
import RefundRows from '@/components/resident/RefundRows';
import '../../styles/resident.scss';

export default function ReceiptPage() {
  const { params } = useRouter();
  const [r, setR] = useState<PaymentRecord | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const load = () => {
    setLoading(true);
    setError(null);
    if (!params.outTradeNo) {
      setError('缺少订单号，请从缴费记录进入');
      setLoading(false);
      return;
    }
    resident({ action: 'receipt', outTradeNo: params.outTradeNo })
      .then(setR)
      .catch(setError)
      .finally(() => setLoading(false));
  };
  useEffect(load, [params.outTradeNo]);

  return (
    <PageShell title='缴费凭证' backControl loading={loading} error={error} onRetry={load}>
      {r ? (
        <>
          <View className='hf-card hf-receipt' data-testid='receipt'>
            <Text className='hf-receipt__title'>合肥市城乡居民基本医疗保险</Text>
            <Text className='hf-receipt__title'>个人缴费凭证</Text>
            <View style={{ marginTop: '24px' }} />
            {byPerson(r.items).map((g) => (
              <View key={g.personId} className='hf-receipt__person' data-testid='receipt-person'>
                <View className='hf-person__head'>
                  <Text className='hf-person__name'>{g.name}</Text>
                  <Text className='hf-muted'>
                    <Nowrap>{g.idMasked ?? '新生儿（出生医学证明）'}</Nowrap>
                  </Text>
                </View>
                {g.items.map((i) => (
                  <Row key={i.benefitYear} label={`${i.benefitYear}年度`} value={<Yuan fen={i.amountFen} />} />
                ))}
              </View>
            ))}
            <Row label='合计金额' value={<Yuan fen={r.totalFeeFen} />} strong />
            <RefundRows r={r} />
            <Row label='缴费时间' value={<Nowrap>{shanghaiTime(r.paidAt)}</Nowrap>} />
            <View data-testid='payee'>
              <Row label='收款单位' value={PAYEE} />
            </View>
            <Row label='交易单号' value={<Nowrap>{r.transactionId}</Nowrap>} />
            <Row label='商户订单号' value={<Nowrap>{r.outTradeNo}</Nowrap>} />
            <Text className='hf-receipt__stamp'>{r.refunds?.length && r.refunds.every((f) => f.personId === null) ? '已退款' : '缴费成功'}</Text>
          </View>
          <Text className='hf-muted' data-testid='tax-receipt-note'>缴费信息约两个工作日后同步至医保系统。{TAX_RECEIPT_NOTE}</Text>
          <View className='hf-actions hf-no-print'>
            {process.env.TARO_ENV === 'h5' ? (
              <Button type='primary' size='large' block onClick={() => window.print()}>
                打印或保存为PDF
              </Button>
            ) : (
              <Text className='hf-card__text'>可截屏保存本凭证</Text>
            )}
          </View>
        </>
      ) : null}
    </PageShell>
  );
}

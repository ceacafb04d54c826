/**
 * 现金缴费凭证 (subpackage `staff`): the record of a cash payment taken at the desk, to hand
 * to the person with the 专用票据. In H5 the desk computer prints it (window.print, with the
 * print stylesheet leaving only the receipt); in weapp it is shown full width for the desk's
 * printer or a photo — a mini-program cannot print.
 */
import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { CashReceipt } from '@contracts/staffCash';
import PageShell from '@/components/PageShell';
import { Row } from '@/components/resident/QuoteBreakdown';
import { Nowrap, Yuan } from '@/components/resident/Nowrap';
import { Button } from '@/ui/nutui';
import { shanghaiTime } from '@/services/format';
import { PAYEE } from '@/services/receipt';
import { staffCash } from '@/services/staff-cash';
import { staffError } from '../../review-text';
import '../../../styles/resident.scss';
import '../../cash.scss';

const STATUS_TEXT: Record<CashReceipt['status'], string> = { unremitted: '已收款，待汇缴', remitted: '已汇缴入库', reversed: '已冲正作废' };

export default function CashReceiptPage() {
  const { params } = useRouter();
  const [r, setR] = useState<CashReceipt | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const load = () => {
    setLoading(true);
    setError(null);
    if (!params.receiptNo) {
      setError('缺少票据号码，请从现金收缴进入');
      setLoading(false);
      return;
    }
    staffCash({ action: 'receipt', receiptNo: decodeURIComponent(params.receiptNo) })
      .then(setR)
      .catch((e) => setError(staffError(e)))
      .finally(() => setLoading(false));
  };
  useEffect(load, [params.receiptNo]);

  return (
    <PageShell title='现金缴费凭证' loading={loading} error={error} onRetry={load}>
      {r ? (
        <>
          <View className='hf-card hf-receipt hf-print-area' data-testid='cash-receipt'>
            <Text className='hf-receipt__title'>合肥市城乡居民基本医疗保险</Text>
            <Text className='hf-receipt__title'>社区现金缴费凭证</Text>
            <View style={{ marginTop: '24px' }} />
            <View className='hf-person__head'>
              <Text className='hf-person__name'>{r.personName}</Text>
              <Text className='hf-muted'>
                <Nowrap>{r.idMasked ?? ''}</Nowrap>
              </Text>
            </View>
            <Row label={`${r.benefitYear}年度个人缴费`} value={<Yuan fen={r.amountFen} />} strong />
            <Row label='缴费方式' value='现金' />
            <Row label='专用票据号码' value={<Nowrap>{r.receiptNo}</Nowrap>} />
            <Row label='收款时间' value={<Nowrap>{shanghaiTime(r.takenAt)}</Nowrap>} />
            <Row label='收款社区' value={r.community ?? '—'} />
            <Row label='经办人' value={r.takenBy} />
            <Row label='征收单位' value={PAYEE} />
            <Row label='业务单号' value={<Nowrap>{r.outTradeNo}</Nowrap>} />
            <Text className='hf-receipt__stamp' data-testid='cash-receipt-status'>
              {STATUS_TEXT[r.status]}
              {r.voucherNo ? `（完税凭证 ${r.voucherNo}）` : ''}
            </Text>
            {r.reverseReason ? <Text className='hf-field__error'>冲正原因：{r.reverseReason}</Text> : null}
            <Text className='hf-muted'>缴费信息约两个工作日后同步至医保系统。请妥善保管医疗保障专用票据。</Text>
          </View>
          <View className='hf-actions hf-no-print'>
            {process.env.TARO_ENV === 'h5' ? (
              <Button type='primary' size='large' block onClick={() => window.print()}>
                打印
              </Button>
            ) : (
              <Text className='hf-card__text'>请在窗口电脑上打开本凭证打印，或拍照留存</Text>
            )}
            <Button size='large' block fill='outline' onClick={() => void Taro.redirectTo({ url: '/staff/pages/cash/index' })}>
              办理下一位
            </Button>
          </View>
        </>
      ) : null}
    </PageShell>
  );
}

/**
 * Step 4 of enrollment (支付): one order for one person or several family members (the server
 * prices it; the client only says who and which year). weapp: WeChat Pay via requestPayment;
 * H5: the simulated pay sheet. The result is learned from payment.queryOrder only.
 */
import { useEffect, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { OrderView } from '@contracts/payment';
import PageShell from '@/components/PageShell';
import { Nowrap, TextWithValues, Yuan } from '@/components/resident/Nowrap';
import { explanationText } from '@/services/explanation';
import StepBar from '@/components/resident/StepBar';
import PaySheet from '@/components/resident/PaySheet';
import { Row } from '@/components/resident/QuoteBreakdown';
import { Button } from '@/ui/nutui';
import { payment } from '@/services/resident';
import { confirmSimulatedPayment, pollOrder, requestWeappPayment, usesSimulatedPaySheet } from '@/services/pay';
import { userMessage } from '@/services/errors';
import { formatYuan, shanghaiTime } from '@/services/format';
import '../../styles/resident.scss';

type Phase = 'creating' | 'ready' | 'sheet' | 'verifying' | 'paid' | 'unpaid' | 'pending' | 'error';

/** 'pid:2024,pid2:2024' → order items. */
export function parseItems(raw: string | undefined): { personId: string; benefitYear: number }[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.split(':'))
    .filter(([id, y]) => /^[A-Za-z0-9_-]+$/.test(id ?? '') && /^\d{4}$/.test(y ?? ''))
    .map(([id, y]) => ({ personId: id, benefitYear: Number(y) }));
}

function ItemLine({ item }: { item: OrderView['items'][number] }) {
  const [open, setOpen] = useState(false);
  return (
    <View className='hf-card' data-testid='order-item'>
      <View className='hf-person__head'>
        <Text className='hf-person__name'>{item.name}</Text>
        <Text className='hf-card__title'>
          <Yuan fen={item.amountFen} />
        </Text>
      </View>
      <Text className='hf-muted'>
        <Nowrap>{item.idMasked ?? '新生儿'}</Nowrap> · <Nowrap>{item.benefitYear}年度</Nowrap>
      </Text>
      <View className='hf-link hf-link--left' onClick={() => setOpen(!open)}>
        <Text>{open ? '收起明细 ▲' : '查看明细 ▼'}</Text>
      </View>
      {open
        ? explanationText(item.explanation).map((l, i) => (
            <Text key={i} className='hf-explain__line'>
              <TextWithValues text={l} />
            </Text>
          ))
        : null}
    </View>
  );
}

export default function PayPage() {
  const { params } = useRouter();
  const items = parseItems(params.items);
  const [phase, setPhase] = useState<Phase>('creating');
  const [order, setOrder] = useState<(OrderView & { payment?: Record<string, unknown> }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sheetError, setSheetError] = useState<string | null>(null);
  const [sheetBusy, setSheetBusy] = useState(false);
  const live = useRef<{ outTradeNo?: string; phase: Phase }>({ phase: 'creating' });
  live.current.phase = phase;

  async function create() {
    setPhase('creating');
    setError(null);
    try {
      if (!items.length) throw new Error('no items');
      // Continuing an earlier unpaid order: close it first, so the people are free again.
      if (params.close) await payment({ action: 'closeOrder', outTradeNo: params.close }).catch(() => undefined);
      const o = await payment({ action: 'createOrder', items });
      live.current.outTradeNo = o.outTradeNo;
      setOrder(o);
      setPhase('ready');
    } catch (e) {
      setError(items.length ? userMessage(e) : '缺少缴费人员，请从首页重新进入');
      setPhase('error');
    }
  }

  useEffect(() => {
    void create();
    // Leaving before paying: close the order so it does not hold the people for 30 minutes.
    return () => {
      const { outTradeNo, phase: p } = live.current;
      if (outTradeNo && (p === 'ready' || p === 'sheet')) void payment({ action: 'closeOrder', outTradeNo }).catch(() => undefined);
    };
  }, []);

  async function verify(outTradeNo: string) {
    setPhase('verifying');
    try {
      const o = await pollOrder(outTradeNo, { attempts: 15, intervalMs: 1000 });
      setOrder((prev) => ({ ...o, payment: prev?.payment }));
      setPhase(o.status === 'paid' ? 'paid' : o.status === 'pending' ? 'pending' : 'unpaid');
    } catch (e) {
      setError(userMessage(e));
      setPhase('pending');
    }
  }

  async function pay() {
    if (!order) return;
    if (usesSimulatedPaySheet()) {
      setSheetError(null);
      setPhase('sheet');
      return;
    }
    try {
      const r = await requestWeappPayment(order.payment ?? {});
      if (r === 'cancel') return; // the order stays open; the person may try again
      await verify(order.outTradeNo);
    } catch (e) {
      setError(userMessage(e));
    }
  }

  async function confirmSheet() {
    if (!order) return;
    setSheetBusy(true);
    setSheetError(null);
    try {
      await confirmSimulatedPayment(order.outTradeNo);
      setSheetBusy(false);
      await verify(order.outTradeNo);
    } catch (e) {
      setSheetBusy(false);
      setSheetError(userMessage(e));
    }
  }

  const home = () => void Taro.reLaunch({ url: '/pages/index/index' });
  const total = order ? formatYuan(order.totalFeeFen) : '';

  return (
    <PageShell title='缴费' subtitle='合肥市城乡居民基本医疗保险' loading={phase === 'creating'} loadingText='正在生成订单…'>
      {phase !== 'paid' ? <StepBar current={3} skipped={params.skipDocs === '1' ? [1] : []} /> : null}

      {phase === 'error' ? (
        <View className='hf-card' role='alert' data-testid='pay-error'>
          <Text className='hf-card__title'>暂时不能缴费</Text>
          <Text className='hf-card__text'>{error}</Text>
          <View className='hf-actions'>
            <Button type='primary' size='large' block onClick={home}>
              返回首页
            </Button>
          </View>
        </View>
      ) : null}

      {order && (phase === 'ready' || phase === 'sheet' || phase === 'verifying') ? (
        <>
          {order.items.map((i) => (
            <ItemLine key={`${i.personId}-${i.benefitYear}`} item={i} />
          ))}
          <View className='hf-card' data-testid='order-total'>
            <Row label={`合计（${order.items.length}人次）`} value={<Nowrap>¥{total}</Nowrap>} strong />
            <Text className='hf-muted'>
              请在 <Nowrap>{shanghaiTime(order.expiresAt)}</Nowrap> 前完成支付，超时订单自动关闭
            </Text>
          </View>
          {error ? (
            <View className='hf-form-error' role='alert'>
              <Text>{error}</Text>
            </View>
          ) : null}
          <View className='hf-actions'>
            <Button type='primary' size='large' block loading={phase === 'verifying'} disabled={phase === 'verifying'} onClick={() => void pay()}>
              {phase === 'verifying' ? '正在确认支付结果…' : `确认支付 ¥${total}`}
            </Button>
          </View>
        </>
      ) : null}

      {phase === 'sheet' && order ? (
        <PaySheet
          totalFeeFen={order.totalFeeFen}
          description={`合肥居民医保 ${[...new Set(order.items.map((i) => i.benefitYear))].join('、')}年度个人缴费`}
          busy={sheetBusy}
          error={sheetError}
          onConfirm={() => void confirmSheet()}
          onCancel={() => setPhase('ready')}
        />
      ) : null}

      {phase === 'paid' && order ? (
        <View className='hf-card' data-testid='pay-success'>
          <View className='hf-result'>
            <View className='hf-result__icon'>
              <Text>✓</Text>
            </View>
            <Text className='hf-result__title'>缴费成功</Text>
            <Text className='hf-amount'>¥{total}</Text>
            <Text className='hf-card__text'>已缴费（两个工作日内同步至医保系统）</Text>
          </View>
          <Row label='交易单号' value={order.transactionId ?? '—'} />
          {order.paidAt ? <Row label='支付时间' value={<Nowrap>{shanghaiTime(order.paidAt)}</Nowrap>} /> : null}
          <View className='hf-actions'>
            <Button type='primary' size='large' block onClick={() => void Taro.redirectTo({ url: `/pages/receipt/index?outTradeNo=${order.outTradeNo}` })}>
              查看缴费凭证
            </Button>
            <Button size='large' block fill='outline' onClick={home}>
              返回首页
            </Button>
          </View>
        </View>
      ) : null}

      {phase === 'unpaid' && order ? (
        <View className='hf-card' role='alert' data-testid='pay-unpaid'>
          <View className='hf-result'>
            <View className='hf-result__icon hf-result__icon--warn'>
              <Text>!</Text>
            </View>
            <Text className='hf-result__title'>{order.status === 'expired' ? '订单已超时关闭' : '订单已关闭'}</Text>
            <Text className='hf-card__text'>没有扣款。如需缴费，请重新下单。</Text>
          </View>
          <View className='hf-actions'>
            <Button type='primary' size='large' block onClick={() => void create()}>
              重新下单
            </Button>
          </View>
        </View>
      ) : null}

      {phase === 'pending' && order ? (
        <View className='hf-card' data-testid='pay-pending'>
          <Text className='hf-card__title'>还没有收到支付结果</Text>
          <Text className='hf-card__text'>{error ?? '如果您已付款，请稍后刷新；未付款可以继续支付。'}</Text>
          <View className='hf-actions'>
            <Button type='primary' size='large' block onClick={() => void verify(order.outTradeNo)}>
              刷新支付结果
            </Button>
            <Button size='large' block fill='outline' onClick={() => setPhase('ready')}>
              继续支付
            </Button>
          </View>
        </View>
      ) : null}
    </PageShell>
  );
}

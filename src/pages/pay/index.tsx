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
import { useDocumentsSkipped } from '@/components/resident/use-documents-skipped';
import PaySheet from '@/components/resident/PaySheet';
import NoticeCard from '@/components/resident/NoticeCard';
import { Row } from '@/components/resident/QuoteBreakdown';
import { Button } from '@/ui/nutui';
import { payment } from '@/services/resident';
import { confirmSimulatedPayment, pollOrder, requestWeappPayment, usesSimulatedPaySheet } from '@/services/pay';
import { CloudCallError, userMessage } from '@/services/errors';
import { ownPendingOrder, pendingItems, type Item } from './pending-order';
import { formatYuan, shanghaiTime } from '@/services/format';
import '../../styles/resident.scss';

type Phase = 'creating' | 'ready' | 'sheet' | 'verifying' | 'paid' | 'unpaid' | 'pending' | 'error' | 'cancelled';

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
  const [items, setItems] = useState<Item[]>(() => parseItems(params.items));
  const [phase, setPhase] = useState<Phase>('creating');
  const [order, setOrder] = useState<(OrderView & { payment?: Record<string, unknown> }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sheetError, setSheetError] = useState<string | null>(null);
  const [sheetBusy, setSheetBusy] = useState(false);
  // The caller's own unpaid order holding these people (e.g. after a refresh on the pay sheet).
  const [held, setHeld] = useState<string | null>(null);
  const [holdBusy, setHoldBusy] = useState(false);
  const live = useRef<{ outTradeNo?: string; phase: Phase }>({ phase: 'creating' });
  live.current.phase = phase;
  // 证件材料 as the server knows it (a home card leads here without the quote page's skipDocs).
  const docsSkipped = useDocumentsSkipped(
    items.map((i) => i.personId),
    items[0]?.benefitYear,
    params.skipDocs === '1',
  );

  async function create(close: string | undefined = params.close, list: Item[] = items) {
    setPhase('creating');
    setError(null);
    setHeld(null);
    try {
      if (!list.length) throw new Error('no items');
      // Continuing an earlier unpaid order: asking to close it lets the same people order again
      // (the server continues that very order while WeChat Pay cannot close it yet).
      if (close) await payment({ action: 'closeOrder', outTradeNo: close }).catch(() => undefined);
      const o = await payment({ action: 'createOrder', items: list });
      live.current.outTradeNo = o.outTradeNo;
      setOrder(o);
      setPhase('ready');
    } catch (e) {
      setError(list.length ? userMessage(e) : '缺少缴费人员，请从首页重新进入');
      if (e instanceof CloudCallError && e.code === 'ORDER_PENDING') setHeld(await ownPendingOrder(list).catch(() => null));
      setPhase('error');
    }
  }

  /** 继续支付 on the caller's own pending order: that order, with its people. */
  async function continueHeld() {
    if (!held || holdBusy) return;
    setHoldBusy(true);
    try {
      const list = (await pendingItems(held).catch(() => null)) ?? items;
      setItems(list);
      await create(held, list);
    } finally {
      setHoldBusy(false);
    }
  }

  /** 取消订单: nothing was paid; the people are free to order again. */
  async function cancelHeld() {
    if (!held || holdBusy) return;
    setHoldBusy(true);
    try {
      await payment({ action: 'closeOrder', outTradeNo: held });
      setHeld(null);
      setPhase('cancelled');
    } catch (e) {
      setError(userMessage(e));
    } finally {
      setHoldBusy(false);
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
      {phase !== 'paid' ? <StepBar current={3} skipped={docsSkipped ? [1] : []} /> : null}

      {phase === 'error' && held ? (
        <NoticeCard alert testId='pay-held' title='有一笔订单还没有支付' text='可以继续支付这笔订单；不想支付了，可以取消订单（没有扣款）。'>
          <Button type='primary' size='large' block loading={holdBusy} disabled={holdBusy} onClick={() => void continueHeld()}>
            继续支付
          </Button>
          <Button size='large' block fill='outline' disabled={holdBusy} onClick={() => void cancelHeld()}>
            取消订单
          </Button>
        </NoticeCard>
      ) : null}

      {phase === 'error' && !held ? (
        <NoticeCard alert testId='pay-error' title='暂时不能缴费' text={error}>
          <Button type='primary' size='large' block onClick={home}>
            返回首页
          </Button>
        </NoticeCard>
      ) : null}

      {phase === 'cancelled' ? (
        <View className='hf-card' role='status' data-testid='pay-cancelled'>
          <View className='hf-result'>
            <Text className='hf-result__title'>订单已取消</Text>
            <Text className='hf-card__text'>没有扣款。需要时可以重新下单。</Text>
          </View>
          <View className='hf-actions'>
            <Button type='primary' size='large' block onClick={() => void create(undefined)}>
              重新下单
            </Button>
            <Button size='large' block fill='outline' onClick={home}>
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
          <Row label='交易单号' value={<Nowrap>{order.transactionId ?? '—'}</Nowrap>} />
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
            <Text className='hf-result__title'>{order.status === 'expired' ? '订单已超时关闭' : order.status === 'closing' ? '订单正在关闭' : order.status === 'refunded' ? '支付金额与订单不符' : '订单已关闭'}</Text>
            <Text className='hf-card__text'>
              {order.status === 'refunded'
                ? '这笔付款已按原路全额退回，可在缴费记录查看退款进度。请重新下单。'
                : order.status === 'closing'
                  ? '正在向微信支付确认关闭，几分钟后即可重新下单。'
                  : '没有扣款。如需缴费，请重新下单。'}
            </Text>
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

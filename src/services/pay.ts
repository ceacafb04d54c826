/**
 * Paying an order.
 *
 * - weapp: `Taro.requestPayment` with the `payment` parameters the server's createOrder returned.
 * - H5: the local cloud's simulated WeChat Pay sheet: the page shows the amount and 确认支付,
 *   which POSTs /api/pay/confirm with the bearer token.
 *
 * Either way, the result is learned by polling payment.queryOrder, never from the sheet.
 */
import Taro from '@tarojs/taro';
import type { OrderView } from '@contracts/payment';
import { CloudCallError } from './errors';
import { postJson } from './gateway';
import { payment } from './resident';
import { sessionToken } from './session';

export const usesSimulatedPaySheet = (): boolean => process.env.TARO_ENV !== 'weapp';

/** H5: the simulated pay sheet's 确认支付. */
export async function confirmSimulatedPayment(outTradeNo: string): Promise<void> {
  await postJson('/api/pay/confirm', { outTradeNo }, sessionToken());
}

/** weapp: opens WeChat Pay. Resolves 'ok' or 'cancel'; throws CloudCallError on failure. */
export async function requestWeappPayment(params: Record<string, unknown>): Promise<'ok' | 'cancel'> {
  try {
    await Taro.requestPayment(params as unknown as Taro.requestPayment.Option);
    return 'ok';
  } catch (e) {
    const msg = String((e as { errMsg?: string })?.errMsg ?? '');
    if (msg.includes('cancel')) return 'cancel';
    throw new CloudCallError('PAY_FAILED', '支付没有完成，请稍后重试');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Asks the server until the order is no longer pending (or `attempts` run out); resolves with the
 * last view. `onTick` sees every intermediate view.
 */
export async function pollOrder(
  outTradeNo: string,
  opts: { attempts?: number; intervalMs?: number; onTick?: (o: OrderView) => void } = {},
): Promise<OrderView> {
  const attempts = opts.attempts ?? 15;
  const interval = opts.intervalMs ?? 1000;
  let last: OrderView | null = null;
  for (let i = 0; i < attempts; i++) {
    try {
      last = await payment({ action: 'queryOrder', outTradeNo });
      opts.onTick?.(last);
      if (last.status !== 'pending') return last;
    } catch (e) {
      if (i === attempts - 1 && !last) throw e;
    }
    await sleep(interval);
  }
  if (!last) throw new CloudCallError('NETWORK', '暂时查询不到支付结果，请稍后在缴费记录中查看');
  return last;
}

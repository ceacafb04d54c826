/**
 * `payCallback`: WeChat Pay calls it when an order is paid (unifiedOrder's functionName) and when
 * a refund completes (cloudPay.refund's functionName).
 * A raw main, not defineFunction: the platform invokes it, there is no resident caller, and it
 * must answer {errcode, errmsg} — anything but errcode 0 makes WeChat retry for up to two days.
 *
 * A mini-program user can call any cloud function by name, so:
 * - only invocations whose SOURCE (getWXContext, set by the platform) is `wx_paycallback` and that
 *   carry no user are acted on; anything else is answered without a query, a write or an alert;
 * - nothing in the event is believed: the order is settled on what queryOrder confirms (state,
 *   transaction id, amount), a refund on what queryRefund confirms;
 * - a notification for an order this side does not know costs no query, and alerts at most once
 *   an hour (settlement.ts unknownOrderAlert).
 *
 * Choices:
 * - amount mismatch (confirmed amount ≠ order total): settlement refunds the whole payment and
 *   answers errcode 0 (a retry would carry the same payment).
 * - WeChat Pay delivers the same notification several times, at once (issue 14's money faults: ten
 *   at once). Settlement is idempotent, but two deliveries can meet in one document's transaction
 *   and the loser sees a write conflict (the database port retries a transaction only once):
 *   settlement is run again, up to SETTLE_ATTEMPTS times, after a short random pause (a refund's
 *   result too: its notification can meet the sweeper or the request writing the same refund).
 * - a failure after the payment is durably recorded (the order paid or refunded here, with the
 *   sweeper's `nextSweepAt` set in the same write, so the sweeper finishes what is left):
 *   errcode 0, since a re-delivery adds nothing. A failure before that (nothing recorded yet):
 *   errcode 1, so WeChat delivers again later; the sweeper would settle it anyway.
 */
import { isRefundNotification, payCallbackEventSchema, refundNotificationSchema } from '../../contracts/payCallback';
import { getOrder } from '../../domain/orders/order-doc';
import { settleConfirmed } from '../../domain/orders/orders';
import { confirmRefund } from '../../domain/orders/refunds';
import { unknownOrderAlert } from '../../domain/orders/settlement';
import { platformDeps } from '../../domain/platform-deps';
import { invocationSource, wxContextOpenid } from '../../platform/wx-cloud';

type Reply = { errcode: number; errmsg: string };

/** Settlement runs per delivery (each a retry of the last after a write conflict). */
export const SETTLE_ATTEMPTS = 4;

function isWriteConflict(err: unknown): boolean {
  return /conflict|WriteConflict|-502006/i.test(String((err as Error)?.message ?? (err as { errMsg?: string })?.errMsg ?? err));
}

/** Idempotent work (settlement, a refund's result); a write conflict with a concurrent delivery or the sweeper is tried again. */
async function withRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= SETTLE_ATTEMPTS || !isWriteConflict(err)) throw err;
      // Apart, so the deliveries that met do not meet again.
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(Math.random() * 80) * attempt));
    }
  }
}

/** Whether this side holds the payment durably (the order moved; the sweeper completes the rest). */
async function durablyRecorded(deps: ReturnType<typeof platformDeps>, outTradeNo: string): Promise<boolean> {
  try {
    const order = await getOrder(deps, outTradeNo);
    return !!order && (order.status === 'paid' || order.status === 'refunded');
  } catch {
    return false;
  }
}

/** getWXContext().SOURCE of WeChat Pay's notifications. */
export const PAY_CALLBACK_SOURCE = 'wx_paycallback';

export async function main(event: unknown): Promise<Reply> {
  if (invocationSource() !== PAY_CALLBACK_SOURCE || wxContextOpenid()) {
    // A user (or another function) calling the callback by name: no query, no write, no alert.
    console.warn('[payCallback] ignored: not invoked by WeChat Pay');
    return { errcode: 0, errmsg: 'ignored: not from WeChat Pay' };
  }
  const deps = platformDeps();
  try {
    if (isRefundNotification(event)) {
      const parsed = refundNotificationSchema.safeParse(event);
      if (!parsed.success) return { errcode: 0, errmsg: 'ignored: not a refund notification' };
      const outcome = await withRetry(() => confirmRefund(deps, parsed.data.reqInfo.outRefundNo, 'wechat_pay'));
      // unavailable: WeChat Pay did not answer the query; a later delivery (or the sweeper) asks again.
      return outcome === 'unavailable' ? { errcode: 1, errmsg: 'retry later' } : { errcode: 0, errmsg: `refund ${outcome}` };
    }
    const parsed = payCallbackEventSchema.safeParse(event);
    if (!parsed.success) {
      console.warn('[payCallback] event rejected', parsed.error.issues.map((i) => i.path.join('.')).join(','));
      return { errcode: 0, errmsg: 'ignored: not a payment notification' };
    }
    const e = parsed.data;
    if (e.returnCode !== 'SUCCESS' || e.resultCode !== 'SUCCESS') return { errcode: 0, errmsg: 'OK' }; // a failed payment: nothing to settle
    if (!(await getOrder(deps, e.outTradeNo))) {
      await unknownOrderAlert(deps, 'wechat_pay');
      return { errcode: 0, errmsg: 'unknown order' };
    }
    const confirmed = await deps.pay.queryOrder(e.outTradeNo);
    let outcome;
    try {
      outcome = await withRetry(() => settleConfirmed(deps, e.outTradeNo, confirmed, 'wechat_pay'));
    } catch (err) {
      if (!(await durablyRecorded(deps, e.outTradeNo))) throw err;
      console.warn('[payCallback] settlement interrupted after the payment was recorded; the sweeper finishes it', (err as Error)?.name);
      return { errcode: 0, errmsg: 'recorded' };
    }
    // Not paid according to WeChat Pay: nothing to settle; the sweeper keeps asking while it is open.
    if (outcome === null) return { errcode: 0, errmsg: 'not confirmed by queryOrder' };
    return { errcode: 0, errmsg: outcome === 'settled' ? 'OK' : outcome.replace(/_/g, ' ') };
  } catch (err) {
    console.error('[payCallback] settlement failed', (err as Error)?.name);
    return { errcode: 1, errmsg: 'retry later' };
  }
}

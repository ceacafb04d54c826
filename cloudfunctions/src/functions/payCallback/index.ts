/**
 * `payCallback`: WeChat Pay calls it when an order is paid (unifiedOrder's functionName).
 * A raw main, not defineFunction: the platform invokes it, there is no resident caller, and it
 * must answer {errcode, errmsg} — anything but errcode 0 makes WeChat retry for up to two days.
 *
 * A client can call any cloud function by name, so the event is not trusted: the payment is
 * confirmed with WeChat Pay (queryOrder) before anything is settled.
 *
 * Choices:
 * - amount mismatch: recorded as an alert in audit_log, NOT settled, and answered errcode 0
 *   ('amount mismatch recorded'): a retry would carry the same amount, so retrying for two days
 *   only repeats the alert; staff reconcile (refund or settle by hand) from the alert.
 * - a storage failure (nothing recorded yet): errcode 1, so WeChat delivers again later.
 */
import { payCallbackEventSchema } from '../../contracts/payCallback';
import { appendAudit } from '../../domain/audit/audit-log';
import { settle } from '../../domain/orders/settlement';
import { platformDeps } from '../../domain/platform-deps';

type Reply = { errcode: number; errmsg: string };

export async function main(event: unknown): Promise<Reply> {
  const parsed = payCallbackEventSchema.safeParse(event);
  if (!parsed.success) {
    // Not a WeChat Pay notification: nothing to do, and nothing a retry could fix.
    console.warn('[payCallback] event rejected', parsed.error.issues.map((i) => i.path.join('.')).join(','));
    return { errcode: 0, errmsg: 'ignored: not a payment notification' };
  }
  const e = parsed.data;
  const deps = platformDeps();
  try {
    if (e.returnCode !== 'SUCCESS' || e.resultCode !== 'SUCCESS' || !e.transactionId || e.totalFee === undefined) {
      return { errcode: 0, errmsg: 'OK' }; // a failed payment: nothing to settle
    }
    const confirmed = await deps.pay.queryOrder(e.outTradeNo);
    if (confirmed.tradeState !== 'SUCCESS' || (confirmed.transactionId && confirmed.transactionId !== e.transactionId)) {
      await appendAudit(
        deps,
        { entity: 'order', entityId: e.outTradeNo, from: null, to: 'unconfirmed', actor: 'wechat_pay', reason: `callback not confirmed by WeChat Pay (${confirmed.tradeState})`, level: 'alert' },
        `alert:unconfirmed:${e.outTradeNo}:${e.transactionId}`,
      );
      return { errcode: 0, errmsg: 'not confirmed' };
    }
    const outcome = await settle(deps, e.outTradeNo, { transactionId: e.transactionId, totalFee: e.totalFee, timeEnd: e.timeEnd }, 'wechat_pay');
    if (outcome === 'amount_mismatch') return { errcode: 0, errmsg: 'amount mismatch recorded' };
    if (outcome === 'unknown_order') return { errcode: 0, errmsg: 'unknown order recorded' };
    return { errcode: 0, errmsg: 'OK' };
  } catch (err) {
    console.error('[payCallback] settlement failed', (err as Error)?.name);
    return { errcode: 1, errmsg: 'retry later' };
  }
}

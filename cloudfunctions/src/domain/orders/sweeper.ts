/**
 * The pay sweeper (run by the `paySweeper` timer): finishes what notifications and callers left
 * undone, by asking WeChat Pay.
 *   - orders paid at WeChat Pay and never settled (notification lost, crash half-way): settled on
 *     what queryOrder confirms;
 *   - orders past their lifetime, or whose payer asked to close them: closed at WeChat Pay, then
 *     here; a close that fails stays 'closing' and is tried again (never assumed);
 *   - closed or expired orders that still hold claims (a crash between the two writes): given back;
 *   - refunds not accepted yet (submitted again with the same number) or not confirmed yet (asked).
 *
 * The queue is the data itself: orders carry nextSweepAt while something is left to do (set at
 * creation and by every multi-document step, cleared when it finished), refunds nextCheckAt. Each
 * step moves the mark forward or removes it, so a run stopped by its time guard is continued by
 * the next one without a cursor, and running twice does nothing twice. At most 100 documents per
 * read (the cloud's cap), batches until the guard (45 s of the function's 60).
 */
import { C, Deps } from '../context';
import { closableAtWechat, FIRST_SWEEP_AFTER_MS, isExpired, OrderDoc } from './order-doc';
import { finishUnpaid, releaseClaims, resolveStale, settleConfirmed } from './orders';
import { dueRefunds, sweepRefund } from './refunds';
import { settle } from './settlement';

export const SWEEP_BUDGET_MS = 45_000;
export const SWEEP_BATCH = 100;

export interface SweepReport {
  orders: { examined: number; settled: number; closed: number; closing: number; released: number; open: number; failed: number };
  refunds: { examined: number; submitted: number; succeeded: number; processing: number; failed: number; unavailable: number };
  /** Nothing due was left when the run ended (false: the guard stopped it; the next run continues). */
  complete: boolean;
}

const ACTOR = 'system';

function later(deps: Pick<Deps, 'clock'>, ms: number): string {
  return new Date(deps.clock.now().getTime() + ms).toISOString();
}

type OrderOutcome = 'settled' | 'closed' | 'closing' | 'released' | 'open';

/** One order's step. Throws only on storage failures (the caller backs off). */
export async function sweepOrder(deps: Deps, order: OrderDoc): Promise<OrderOutcome> {
  const online = (order.channel ?? 'wechat') === 'wechat';
  const now = deps.clock.now();
  if (order.status === 'closed' || order.status === 'expired') {
    await releaseClaims(deps, order, ACTOR);
    return 'released';
  }
  if (!online) {
    // The desk's (or a university's) own order: its facts are its own, WeChat Pay knows nothing of it.
    if ((order.status === 'paid' || order.status === 'refunded') && order.transactionId) await settle(deps, order.outTradeNo, { transactionId: order.transactionId, totalFee: order.totalFeeFen }, ACTOR);
    else await deps.db.update(C.orders, order.outTradeNo, { nextSweepAt: deps.db.cmd.remove() });
    return 'settled';
  }
  const state = await deps.pay.queryOrder(order.outTradeNo).catch(() => null);
  if (await settleConfirmed(deps, order.outTradeNo, state, ACTOR)) return 'settled';
  if (order.status === 'paid' || order.status === 'refunded') {
    // Paid here, but WeChat Pay did not answer: ask again later.
    await deps.db.update(C.orders, order.outTradeNo, { nextSweepAt: later(deps, FIRST_SWEEP_AFTER_MS) });
    return 'open';
  }
  if (state?.tradeState === 'CLOSED') {
    const to = order.status === 'closing' && order.closingTo ? order.closingTo : isExpired(order, now) ? 'expired' : 'closed';
    await finishUnpaid(deps, order, to, ACTOR, order.closedReason ?? 'closed at WeChat Pay');
    return 'closed';
  }
  const closeDue = order.closeRequestedAt !== undefined && closableAtWechat(order, now);
  if (order.status === 'closing' || isExpired(order, now) || closeDue) {
    const r = await resolveStale(deps, order, ACTOR);
    return r.status === 'closing' ? 'closing' : r.status === 'paid' || r.status === 'refunded' ? 'settled' : 'closed';
  }
  // Open and unpaid: look again in a while, and at the latest when its time is up.
  const next = Math.min(now.getTime() + FIRST_SWEEP_AFTER_MS, new Date(order.expiresAt).getTime());
  await deps.db.update(C.orders, order.outTradeNo, { nextSweepAt: new Date(Math.max(next, now.getTime() + 1000)).toISOString() });
  return 'open';
}

export async function runSweep(deps: Deps, options: { budgetMs?: number; batchSize?: number } = {}): Promise<SweepReport> {
  const started = Date.now();
  const budget = options.budgetMs ?? SWEEP_BUDGET_MS;
  const batch = Math.max(1, Math.min(options.batchSize ?? SWEEP_BATCH, SWEEP_BATCH));
  const report: SweepReport = {
    orders: { examined: 0, settled: 0, closed: 0, closing: 0, released: 0, open: 0, failed: 0 },
    refunds: { examined: 0, submitted: 0, succeeded: 0, processing: 0, failed: 0, unavailable: 0 },
    complete: false,
  };
  const outOfTime = () => Date.now() - started >= budget;
  // Each document at most once per run: a step that leaves it due (WeChat Pay not answering) waits for the next run.
  const seen = new Set<string>();

  // Orders first (a settlement may request refunds, which the second part then confirms).
  for (;;) {
    const nowIso = deps.clock.now().toISOString();
    const due = (await deps.db.find<OrderDoc>(C.orders, { nextSweepAt: deps.db.cmd.lte(nowIso) }, { orderBy: [['nextSweepAt', 'asc']], limit: batch })).filter((o) => !seen.has(o._id));
    if (due.length === 0) break;
    for (const order of due) {
      seen.add(order._id);
      report.orders.examined++;
      try {
        report.orders[await sweepOrder(deps, order)]++;
      } catch (err) {
        report.orders.failed++;
        console.warn('[paySweeper] order step failed', (err as Error)?.name);
        await deps.db.update(C.orders, order._id, { nextSweepAt: later(deps, 5 * 60_000) }).catch(() => undefined);
      }
    }
    if (outOfTime()) return report;
  }
  for (;;) {
    const due = (await dueRefunds(deps, batch)).filter((r) => !seen.has(r._id));
    if (due.length === 0) break;
    for (const refund of due) {
      seen.add(refund._id);
      report.refunds.examined++;
      try {
        const outcome = await sweepRefund(deps, refund);
        if (outcome === 'submitted' || outcome === 'resubmitted') report.refunds.submitted++;
        else if (outcome === 'succeeded') report.refunds.succeeded++;
        else if (outcome === 'processing') report.refunds.processing++;
        else if (outcome === 'failed') report.refunds.failed++;
        else report.refunds.unavailable++;
      } catch (err) {
        report.refunds.unavailable++;
        console.warn('[paySweeper] refund step failed', (err as Error)?.name);
      }
    }
    if (outOfTime()) return report;
  }
  report.complete = true;
  return report;
}

/**
 * createOrder / queryOrder / closeOrder. Amounts come only from the policy engine.
 */
import type { OrderView } from '../../contracts/payment';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { requireConsent } from '../consent/consent';
import { Acting, C, Deps } from '../context';
import { shanghaiTimeOf } from '../dates';
import { needsIdentityDocument } from '../documents/evidence';
import { ALREADY_PAID, release, tryClaim } from '../enrollments/claims';
import { quotePerson, today } from '../enrollments/person-quote';
import { requireFamilyPerson } from '../family/family';
import { encryptText } from '../identity/id-protection';
import type { TradeState } from '../../platform/ports';
import { closableAtWechat, FIRST_SWEEP_AFTER_MS, getOrder, HOLDING, isExpired, MIN_CLOSE_AGE_MS, newOutTradeNo, OrderDoc, OrderItemDoc, orderView, ORDER_TTL_MS, TAKEN_OVER, wechatPayTime } from './order-doc';
import { settle, SettleOutcome } from './settlement';

export const PAY_CALLBACK_FUNCTION = 'payCallback';

const ORDER_NOT_FOUND = () => new AppError('ORDER_NOT_FOUND', '未找到该订单', 'outTradeNo');

/**
 * How long a pending order started by one authorized actor holds the person against the others:
 * WeChat Pay's minimum age before an order may be closed, so that the old order is surely closed
 * before the new one exists.
 */
export const ORDER_TAKEOVER_AFTER_MS = MIN_CLOSE_AGE_MS;

export function takeoverDue(order: Pick<OrderDoc, 'createdAt'>, now: Date): boolean {
  return now.getTime() - new Date(order.createdAt).getTime() >= ORDER_TAKEOVER_AFTER_MS;
}

/** Another actor's pending order: when it was started, never its number. */
const FAMILY_PAYING = (name: string, holder: OrderDoc) =>
  new AppError('ORDER_PENDING', `家人正在为${name}缴费（${shanghaiTimeOf(new Date(holder.createdAt))} 发起），请稍后再试`, 'items');

async function priceItem(deps: Acting, personId: string, benefitYear: number): Promise<OrderItemDoc> {
  const { person } = await requireFamilyPerson(deps, personId);
  const q = await quotePerson(deps, person, benefitYear);
  const who = person.name;
  if (!q.windowOpen) {
    // Before "not eligible": outside the window the engine gives the window as its reason.
    throw new AppError(
      'WINDOW_CLOSED',
      today(deps) < q.window.start ? `${benefitYear}年度缴费期${q.window.start}开始，现在还不能缴费` : `${benefitYear}年度缴费期（${q.window.start}至${q.window.end}）已结束`,
      'items',
    );
  }
  if (!q.eligible || q.payableFen === null) {
    throw new AppError('NOT_ELIGIBLE', `${who}不符合本年度参保条件：${q.reasons.join('；') || '请咨询社区'}`, 'items');
  }
  if (q.payableFen === 0) {
    throw new AppError('NOTHING_TO_PAY', `${who}由医疗救助全额资助参保，无需缴费`, 'items');
  }
  if (await needsIdentityDocument(deps, person, benefitYear)) {
    throw new AppError('DOCUMENT_REQUIRED', `${who}是首次参保，请先上传身份证件照片`, 'items');
  }
  return { personId, benefitYear, amountFen: q.payableFen, name: person.name, idMasked: person.idMasked, explanationCipher: encryptText(JSON.stringify(q.explanation)) };
}

type QueriedState = { tradeState: TradeState; transactionId?: string; totalFee?: number; timeEnd?: string };

/**
 * Settles an order on what WeChat Pay's queryOrder confirmed: paid (SUCCESS, or REFUND — paid,
 * then refunded), with its transaction id and amount. null when the answer proves no payment.
 */
export async function settleConfirmed(deps: Deps, outTradeNo: string, state: QueriedState | null, actor: string): Promise<SettleOutcome | null> {
  if (!state || (state.tradeState !== 'SUCCESS' && state.tradeState !== 'REFUND') || !state.transactionId || state.totalFee === undefined) return null;
  return settle(deps, outTradeNo, { transactionId: state.transactionId, totalFee: state.totalFee, timeEnd: state.timeEnd }, actor);
}

/**
 * Ends the order here while WeChat Pay has not confirmed the close: 'closing', still holding its
 * people (it might yet be paid), retried by the sweeper and by anyone who meets it.
 */
async function markClosing(deps: Deps, order: OrderDoc, to: 'expired' | 'closed', actor: string, reason: string): Promise<OrderDoc> {
  const now = deps.clock.now();
  const attempts = (order.closeAttempts ?? 0) + 1;
  const from = await deps.db.transaction(async (tx) => {
    const o = await tx.get<OrderDoc>(C.orders, order.outTradeNo);
    if (!o || !HOLDING.includes(o.status)) return null;
    await tx.update(C.orders, order.outTradeNo, {
      status: 'closing',
      closingTo: to,
      closedReason: reason,
      closeAttempts: attempts,
      nextSweepAt: new Date(now.getTime() + Math.min(30, 2 ** Math.min(attempts, 5)) * 60_000).toISOString(),
    });
    return o.status;
  });
  if (from === 'pending') await appendAudit(deps, { entity: 'order', entityId: order.outTradeNo, from, to: 'closing', actor, reason: `${reason}; WeChat Pay has not confirmed the close` }, `order:${order.outTradeNo}:closing`);
  return (await getOrder(deps, order.outTradeNo)) ?? order;
}

/**
 * An order whose time is up, whose payer asked to close it and that WeChat Pay now lets us close
 * (5 minutes old), or that is already closing: ask WeChat Pay first (it may have been paid at the
 * last moment), then close it there and, once WeChat Pay confirms, here, giving its enrollments
 * back. A close that fails is never assumed: the order stays 'closing'.
 */
export async function resolveStale(deps: Deps, order: OrderDoc, actor: string): Promise<OrderDoc> {
  const state = await deps.pay.queryOrder(order.outTradeNo).catch(() => null);
  if (await settleConfirmed(deps, order.outTradeNo, state, actor)) return (await getOrder(deps, order.outTradeNo)) ?? order;
  const expired = order.status === 'closing' ? order.closingTo === 'expired' : isExpired(order, deps.clock.now());
  const to = expired ? 'expired' : 'closed';
  const reason = order.status === 'closing' && order.closedReason ? order.closedReason : expired ? 'unpaid after 30 minutes' : 'closed by the payer';
  if (state?.tradeState !== 'CLOSED') {
    // No answer, or the close refused: WeChat Pay may still take a payment for it.
    if (!state) return markClosing(deps, order, to, actor, reason);
    const closed = await deps.pay.closeOrder(order.outTradeNo).then(
      () => true,
      () => false,
    );
    if (!closed) return markClosing(deps, order, to, actor, reason);
  }
  return finishUnpaid(deps, order, to, actor, reason);
}

/** The payer asked to close it early, and WeChat Pay now accepts the close. */
function closeDue(order: OrderDoc, now: Date): boolean {
  return order.status === 'pending' && order.closeRequestedAt !== undefined && closableAtWechat(order, now);
}

function orderBody(items: Array<{ benefitYear: number }>): string {
  return `合肥居民医保${[...new Set(items.map((i) => i.benefitYear))].join('、')}年度个人缴费`;
}

/**
 * The payer left the pay page (which asks to close the order) and comes back for the same people
 * within WeChat Pay's 5 minutes: the same order is continued, with the same WeChat Pay order
 * (identical parameters give the same prepay), instead of refusing until it may be closed.
 */
async function continuedOrder(deps: Acting, items: Array<{ personId: string; benefitYear: number }>) {
  const now = deps.clock.now();
  const want = items.map((i) => `${i.personId}_${i.benefitYear}`).sort().join(',');
  const mine = await deps.db.find<OrderDoc>(C.orders, { openid: deps.caller.openid, status: 'pending', closeRequestedAt: deps.db.cmd.exists(true) }, { limit: 10 });
  const order = mine.find((o) => !closableAtWechat(o, now) && o.items.map((i) => `${i.personId}_${i.benefitYear}`).sort().join(',') === want);
  if (!order) return null;
  await deps.db.update(C.orders, order.outTradeNo, { closeRequestedAt: deps.db.cmd.remove() });
  const { payment } = await deps.pay.unifiedOrder({
    body: orderBody(order.items),
    outTradeNo: order.outTradeNo,
    totalFee: order.totalFeeFen,
    functionName: PAY_CALLBACK_FUNCTION,
    timeExpire: wechatPayTime(new Date(order.expiresAt)),
  });
  const { closeRequestedAt: _c, ...open } = order;
  return { ...orderView(open), payment };
}

/**
 * Another actor's order pending for ORDER_TAKEOVER_AFTER_MS: settle it if WeChat Pay says it was
 * paid, else close it there and here. It is closed here only once WeChat Pay reports it CLOSED
 * (asked again after the close: the close reply alone does not prove the order cannot still be
 * paid). null: not resolvable now (being paid this moment, or WeChat Pay did not answer).
 */
export async function takeOver(deps: Deps, order: OrderDoc, actor: string, reason: string = TAKEN_OVER): Promise<OrderDoc | null> {
  let state = await deps.pay.queryOrder(order.outTradeNo).catch(() => null);
  if (!state || state.tradeState === 'USERPAYING') return null;
  if (state.tradeState !== 'SUCCESS' && state.tradeState !== 'CLOSED') {
    await deps.pay.closeOrder(order.outTradeNo).catch(() => undefined);
    state = await deps.pay.queryOrder(order.outTradeNo).catch(() => null);
  }
  if (await settleConfirmed(deps, order.outTradeNo, state, actor)) return getOrder(deps, order.outTradeNo);
  if (state?.tradeState !== 'CLOSED') return null;
  return finishUnpaid(deps, order, 'closed', actor, reason);
}

/** WeChat Pay confirmed the order closed (or it never existed there): it gives its people back. */
export async function finishUnpaid(deps: Deps, order: OrderDoc, to: 'expired' | 'closed', actor: string, reason: string): Promise<OrderDoc> {
  const from = await deps.db.transaction(async (tx) => {
    const o = await tx.get<OrderDoc>(C.orders, order.outTradeNo);
    if (!o || !HOLDING.includes(o.status)) return null;
    // nextSweepAt: a crash before the claims are given back is completed by the sweeper.
    await tx.update(C.orders, order.outTradeNo, { status: to, closedReason: reason, nextSweepAt: deps.clock.now().toISOString() });
    return o.status;
  });
  if (from) await appendAudit(deps, { entity: 'order', entityId: order.outTradeNo, from, to, actor, reason }, `order:${order.outTradeNo}:${to}`);
  await releaseClaims(deps, order, actor);
  return (await getOrder(deps, order.outTradeNo)) ?? order;
}

/** Gives back every claim a closed or expired order still holds; then nothing is left to sweep. */
export async function releaseClaims(deps: Deps, order: OrderDoc, actor: string): Promise<void> {
  const current = (await getOrder(deps, order.outTradeNo)) ?? order;
  if (current.status !== 'closed' && current.status !== 'expired') return;
  for (const item of order.items) await release(deps, item.personId, item.benefitYear, order.outTradeNo, actor, `order ${current.status}`);
  await deps.db.update(C.orders, order.outTradeNo, { nextSweepAt: deps.db.cmd.remove() });
}

export async function createOrder(deps: Acting, items: Array<{ personId: string; benefitYear: number }>) {
  await requireConsent(deps);
  const keys = new Set(items.map((i) => `${i.personId}_${i.benefitYear}`));
  if (keys.size !== items.length) throw new AppError('INVALID_INPUT', '同一位参保人同一年度只能选择一次', 'items');
  const continued = await continuedOrder(deps, items);
  if (continued) return continued;
  const priced: OrderItemDoc[] = [];
  for (const item of items) priced.push(await priceItem(deps, item.personId, item.benefitYear));

  const now = deps.clock.now();
  const outTradeNo = newOutTradeNo(now);
  const actor = deps.caller.openid;
  const order: OrderDoc = {
    _id: outTradeNo,
    outTradeNo,
    openid: deps.caller.openid,
    items: priced,
    personIds: priced.map((i) => i.personId),
    totalFeeFen: priced.reduce((s, i) => s + i.amountFen, 0),
    status: 'pending',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ORDER_TTL_MS).toISOString(),
    paidAt: null,
    transactionId: null,
    // Paid and never notified (or not settled): the sweeper asks WeChat Pay from then on.
    nextSweepAt: new Date(now.getTime() + FIRST_SWEEP_AFTER_MS).toISOString(),
  };
  // The order exists before it claims anything: a claim always points at a real order,
  // and a claim whose order is gone (a crash half-way) is recognised as stale.
  await deps.db.insert(C.orders, order);
  const claimed: OrderItemDoc[] = [];
  const abandon = async (reason: string) => {
    for (const c of claimed) await release(deps, c.personId, c.benefitYear, outTradeNo, actor, reason);
    await deps.db.remove(C.orders, outTradeNo).catch(() => undefined);
  };
  // Claimed in one fixed order (person id, then year) whatever order the caller listed them in:
  // two orders for the same people then meet at the first one, and one of them gets none,
  // instead of each taking one and blocking the other.
  const claimOrder = [...priced].sort((a, b) => (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : a.benefitYear - b.benefitYear));
  try {
    for (const item of claimOrder) {
      for (let attempt = 0; ; attempt++) {
        const r = await tryClaim(deps, item.personId, item.benefitYear, outTradeNo, item.amountFen, actor);
        if (r.ok) break;
        if ('paid' in r) throw ALREADY_PAID();
        const holder = r.heldBy ? await getOrder(deps, r.heldBy) : null;
        const now = deps.clock.now();
        const stale = !holder || holder.status !== 'pending' || isExpired(holder, now) || closeDue(holder, now);
        const holding = !!holder && HOLDING.includes(holder.status);
        // Another actor's pending order holds the person: wait for it, then take it over.
        const family = holder && holder.status === 'pending' && holder.openid !== actor ? holder : null;
        // In the words of the holder as it is now: an expired order whose close WeChat Pay has not
        // confirmed is "closing", not one the payer could still pay.
        const busy = (current: OrderDoc | null = holder) =>
          family && current?.status === 'pending'
            ? FAMILY_PAYING(item.name, family)
            : current?.status === 'closing'
              ? new AppError('ORDER_PENDING', `${item.name}${item.benefitYear}年度上一笔订单正在关闭，请几分钟后再试`, 'items')
              : new AppError('ORDER_PENDING', `${item.name}${item.benefitYear}年度已有一笔待支付的订单，请先完成支付或取消该订单`, 'items');
        if (attempt >= 2 || (!stale && (!family || !takeoverDue(family, now)))) throw busy();
        if (!holder) {
          await release(deps, item.personId, item.benefitYear, r.heldBy, actor, 'holding order does not exist');
          continue;
        }
        let resolved: OrderDoc | null = holder;
        // A closing order is asked about and closed again: its people come back only once WeChat Pay confirms.
        if (holding) resolved = stale ? await resolveStale(deps, holder, actor) : await takeOver(deps, holder, actor);
        if (!resolved || HOLDING.includes(resolved.status)) throw busy(resolved ?? holder);
        if (resolved.status === 'paid') {
          // Paid, but the person may have been refunded out of it (staff): claim again then.
          const again = await tryClaim(deps, item.personId, item.benefitYear, outTradeNo, item.amountFen, actor);
          if (again.ok) break;
          throw ALREADY_PAID();
        }
        // closed/expired orders no longer hold their items
        for (const i of resolved.items) await release(deps, i.personId, i.benefitYear, resolved.outTradeNo, actor, `order ${resolved.status}`);
      }
      claimed.push(item);
    }
  } catch (err) {
    await abandon('order not created');
    throw err;
  }

  try {
    const { payment } = await deps.pay.unifiedOrder({
      body: orderBody(priced),
      outTradeNo,
      totalFee: order.totalFeeFen,
      functionName: PAY_CALLBACK_FUNCTION,
      timeExpire: wechatPayTime(new Date(order.expiresAt)),
    });
    await appendAudit(deps, { entity: 'order', entityId: outTradeNo, from: null, to: 'pending', actor, reason: `${priced.length} item(s), ${order.totalFeeFen} fen` });
    return { ...orderView(order), payment };
  } catch (err) {
    await abandon('pay order failed');
    throw err;
  }
}

async function payersOrder(deps: Acting, outTradeNo: string): Promise<OrderDoc> {
  await requireConsent(deps);
  const order = await getOrder(deps, outTradeNo);
  if (!order || order.openid !== deps.caller.openid) throw ORDER_NOT_FOUND();
  return order;
}

export async function queryOrder(deps: Acting, outTradeNo: string): Promise<OrderView> {
  let order = await payersOrder(deps, outTradeNo);
  if (!HOLDING.includes(order.status)) return orderView(order);
  const state = await deps.pay.queryOrder(outTradeNo);
  if (await settleConfirmed(deps, outTradeNo, state, deps.caller.openid)) {
    order = (await getOrder(deps, outTradeNo)) ?? order;
  } else if (state.tradeState === 'CLOSED') {
    const to = order.status === 'closing' && order.closingTo ? order.closingTo : isExpired(order, deps.clock.now()) ? 'expired' : 'closed';
    order = await finishUnpaid(deps, order, to, deps.caller.openid, order.closedReason ?? 'closed at WeChat Pay');
  } else if (order.status === 'closing' || isExpired(order, deps.clock.now()) || closeDue(order, deps.clock.now())) {
    order = await resolveStale(deps, order, deps.caller.openid);
  }
  return orderView(order);
}

export async function closeOrder(deps: Acting, outTradeNo: string): Promise<OrderView> {
  const order = await payersOrder(deps, outTradeNo);
  if (!HOLDING.includes(order.status)) return orderView(order);
  if (order.status === 'closing') return orderView(await resolveStale(deps, order, deps.caller.openid));
  const state = await deps.pay.queryOrder(outTradeNo);
  if (await settleConfirmed(deps, outTradeNo, state, deps.caller.openid)) return orderView((await getOrder(deps, outTradeNo)) ?? order);
  if (state.tradeState !== 'CLOSED') {
    const now = deps.clock.now();
    if (!closableAtWechat(order, now)) {
      // WeChat Pay refuses closing an order under 5 minutes old, and until it is closed there it
      // can still be paid, so it keeps holding its people. The request is remembered: the same
      // people ordered again continue this order (continuedOrder); the close is sent once allowed
      // (queryOrder, a new order that meets it, or its expiry).
      await deps.db.update(C.orders, outTradeNo, { closeRequestedAt: now.toISOString() });
      return orderView(order);
    }
    const closed = await deps.pay.closeOrder(outTradeNo).then(
      () => true,
      () => false,
    );
    // Not confirmed by WeChat Pay: closing, retried by the sweeper; the payer sees 正在关闭订单.
    if (!closed) return orderView(await markClosing(deps, order, 'closed', deps.caller.openid, 'closed by the payer'));
  }
  return orderView(await finishUnpaid(deps, order, 'closed', deps.caller.openid, 'closed by the payer'));
}

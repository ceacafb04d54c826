/**
 * Orders: one WeChat Pay order for one or more (person, benefit year) items.
 * _id = outTradeNo (≤ 32, [A-Za-z0-9_-]), also under a unique index.
 */
import { randomBytes } from 'crypto';
import type { OrderView } from '../../contracts/payment';
import { C, Deps } from '../context';
import { shanghaiDateOf } from '../dates';
import { decryptText } from '../identity/id-protection';

/** An unpaid order is closed after 30 minutes (WeChat Pay is told too: time_expire). */
export const ORDER_TTL_MS = 30 * 60 * 1000;

/**
 * WeChat Pay refuses to close an order younger than 5 minutes ("订单生成后不能马上调用关单接口，
 * 最短调用时间间隔为5分钟"): before that, the order stays pending (see closeOrder in orders.ts).
 */
export const MIN_CLOSE_AGE_MS = 5 * 60 * 1000;

/** True once WeChat Pay accepts closeOrder for the order. */
export function closableAtWechat(order: Pick<OrderDoc, 'createdAt'>, now: Date): boolean {
  return now.getTime() - new Date(order.createdAt).getTime() >= MIN_CLOSE_AGE_MS;
}

/** yyyyMMddHHmmss in Beijing time (UTC+8, no DST): WeChat Pay's time_expire and time_end format. */
export function wechatPayTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3600 * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * pending → paid (settled) | closing → closed / expired; paid at WeChat Pay but impossible to
 * settle (the amount differs from the order) → refunded.
 * 'closing': this side has ended the order (its time is up, the payer or another actor closed it)
 * but WeChat Pay has not confirmed the close yet; it keeps holding its people until WeChat Pay
 * says CLOSED (or that it was paid), and the sweeper retries the close.
 */
export type OrderStatus = 'pending' | 'closing' | 'paid' | 'closed' | 'expired' | 'refunded';

/** Statuses in which the order still holds its enrollment claims. */
export const HOLDING: readonly OrderStatus[] = ['pending', 'closing'];

/** How long after creation the sweeper first asks WeChat Pay about an order nobody settled. */
export const FIRST_SWEEP_AFTER_MS = 2 * 60 * 1000;

export interface OrderItemDoc {
  personId: string;
  benefitYear: number;
  amountFen: number;
  name: string;
  idMasked: string | null;
  /**
   * The quote's explanation lines, encrypted: they can name an age or a birth date, which with
   * the mask narrows the ID number (issue 9). Orders stored before that have it plain.
   */
  explanationCipher?: string;
  explanation?: string[];
}

export function explanationOf(item: OrderItemDoc): string[] {
  if (item.explanationCipher) return JSON.parse(decryptText(item.explanationCipher)) as string[];
  return item.explanation ?? [];
}

export interface OrderDoc {
  _id: string;
  outTradeNo: string;
  openid: string;
  items: OrderItemDoc[];
  personIds: string[];
  totalFeeFen: number;
  status: OrderStatus;
  createdAt: string;
  expiresAt: string;
  paidAt: string | null;
  transactionId: string | null;
  closedReason?: string;
  /** The payer asked to close it before WeChat Pay allowed it; closed once closableAtWechat. */
  closeRequestedAt?: string;
  /** While 'closing': what it becomes once WeChat Pay confirms the close. */
  closingTo?: 'closed' | 'expired';
  /** Failed attempts to close it at WeChat Pay (retried by the sweeper). */
  closeAttempts?: number;
  /**
   * When the sweeper should look at it next (ISO); absent once nothing is left to do. Set at
   * creation and by every step that writes more than one document (settlement, closing), cleared
   * when the step finished: a crash half-way leaves it set, and the sweeper completes the step.
   */
  nextSweepAt?: string;
  /**
   * How it is paid: absent or 'wechat' for WeChat Pay; 'cash' for a payment taken at the community
   * desk (domain/cash), recorded as an order so that it claims and settles like any other.
   */
  channel?: 'wechat' | 'cash' | 'university';
  /**
   * The status the settlement moved it from ('pending', 'closed', …), written with the move: a
   * settlement that stopped half-way is completed by the next one (a repeated notification, the
   * sweeper), which writes the move's audit entry from it.
   */
  settledFrom?: OrderStatus;
}

export function newOutTradeNo(now: Date): string {
  return `HF${shanghaiDateOf(now).replace(/-/g, '')}${randomBytes(9).toString('hex')}`; // 28 chars
}

export async function getOrder(deps: Pick<Deps, 'db'>, outTradeNo: string): Promise<OrderDoc | null> {
  return deps.db.get<OrderDoc>(C.orders, outTradeNo);
}

export function isExpired(order: OrderDoc, now: Date): boolean {
  return HOLDING.includes(order.status) && now.toISOString() >= order.expiresAt;
}

/** closedReason of an order another authorized actor took over (see takeOver in orders.ts). */
export const TAKEN_OVER = 'taken over by another authorized actor';
/** closedReason of an online order closed because the person paid in cash at the desk meanwhile. */
export const PAID_IN_CASH = 'paid in cash at the community desk';

const STATUS_TEXT: Record<OrderStatus, string> = {
  pending: '待支付',
  closing: '正在关闭订单',
  paid: '已支付',
  closed: '已取消',
  expired: '已超时关闭',
  refunded: '支付金额与订单不符，已原路退款',
};

export function orderView(order: OrderDoc): OrderView {
  return {
    outTradeNo: order.outTradeNo,
    status: order.status,
    statusText:
      order.status === 'closed' && order.closedReason === TAKEN_OVER
        ? '家人已重新发起缴费，本订单已关闭'
        : order.status === 'closed' && order.closedReason === PAID_IN_CASH
          ? '已在社区窗口现金缴费，本订单已关闭'
          : STATUS_TEXT[order.status],
    totalFeeFen: order.totalFeeFen,
    items: order.items.map((i) => ({ personId: i.personId, name: i.name, idMasked: i.idMasked, benefitYear: i.benefitYear, amountFen: i.amountFen, explanation: explanationOf(i) })),
    createdAt: order.createdAt,
    expiresAt: order.expiresAt,
    paidAt: order.paidAt,
    transactionId: order.transactionId,
  };
}

/**
 * Simulated WeChat Pay (cloudPay): unifiedOrder / queryOrder / closeOrder / refund / queryRefund arrive as
 * `wx.wxPayApi` multipart bodies with snake_case JSON; replies are snake_case JSON
 * (the SDK converts them to camelCase). A confirmation (the user paying in the pay
 * sheet) marks the order paid and delivers the callback event to the configured
 * function, the way WeChat does; deliveries can be repeated.
 *
 * WeChat Pay's rules the functions must live with are enforced: `env_id` and `sub_mch_id` are
 * required (a Symbol env id, dropped by JSON, fails here as it would there); `time_expire`
 * (yyyyMMddHHmmss, Beijing) must leave at least 5 minutes and no payment is taken after it; an
 * order cannot be closed before it is 5 minutes old; a refund needs the order's exact total, never
 * exceeds what is left, and the same out_refund_no sent again is the same refund. A refund is
 * accepted as PROCESSING and completes a moment later, when its result is delivered to the
 * function named in the request (as WeChat Pay's refund notification).
 *
 * Every notification is invoked with SOURCE `wx_paycallback` and no user: that is how the functions
 * tell WeChat Pay from a mini-program user calling the callback function by name.
 *
 * Faults can be injected (tests and the reliability suite): an api answering FAIL the next n
 * times, notifications not delivered, refunds held in PROCESSING.
 */
import { randomBytes, createHash } from 'crypto';
import type { Clock } from '../clock';
import { Store } from '../database/store';

export const ORDERS = '$orders';
export const DELIVERIES = '$deliveries';
export const REFUNDS = '$refunds';
/** The SOURCE WeChat's cloud gives a function invoked by a pay or refund notification (getWXContext). */
export const PAY_CALLBACK_SOURCE = 'wx_paycallback';
const OUT_REFUND_NO = /^[A-Za-z0-9_\-|*@]{1,64}$/;
const APPID = 'wxlocal0000000000';
const MCH_ID = '1900000000';
const OUT_TRADE_NO = /^[A-Za-z0-9_\-|*]{1,32}$/;
/** WeChat Pay: 订单生成后不能马上调用关单接口，最短调用时间间隔为5分钟. */
export const MIN_CLOSE_AGE_MS = 5 * 60 * 1000;
/** WeChat Pay: time_expire at least 5 minutes after the order (JSAPI). */
const MIN_EXPIRE_MS = 5 * 60 * 1000;

export type TradeState = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';

export interface Refund {
  _id: string; // outRefundNo
  outRefundNo: string;
  outTradeNo: string;
  transactionId: string;
  refundId: string;
  totalFee: number;
  refundFee: number;
  envId: string;
  functionName: string;
  status: 'PROCESSING' | 'SUCCESS';
  createdAt: Date;
  successTime?: string;
}

/** Injected faults (in memory, not persisted: a restart clears them). */
export interface PayFaults {
  /** The next n calls of an api answer return_code FAIL (a system error at WeChat Pay). */
  failNext: Partial<Record<'unifiedOrder' | 'queryOrder' | 'closeOrder' | 'refund' | 'queryRefund', number>>;
  /** Notifications (pay and refund) are not delivered: only a query finds the result. */
  dropNotifications: boolean;
  /** Accepted refunds stay PROCESSING until completeRefunds() (or the flag is cleared). */
  holdRefunds: boolean;
}

export interface Order {
  _id: string; // outTradeNo
  outTradeNo: string;
  body: string;
  totalFee: number;
  subMchId: string;
  envId: string;
  functionName: string;
  payerOpenid?: string;
  spbillCreateIp?: string;
  /** yyyyMMddHHmmss, Beijing time; absent = WeChat's default (about 2 hours). */
  timeExpire?: string;
  prepayId: string;
  tradeState: TradeState;
  transactionId?: string;
  timeEnd?: string;
  createdAt: Date;
  paidAt?: Date;
  closedAt?: Date;
}

export interface Delivery {
  _id: string;
  outTradeNo: string;
  functionName: string;
  at: Date;
  ok: boolean;
  /** errcode the callback returned, or why the delivery failed (never the event). */
  outcome: string;
  /** 'pay' (absent) or 'refund'; outRefundNo for a refund notification. */
  kind?: 'pay' | 'refund';
  outRefundNo?: string;
}

/** yyyyMMddHHmmss in Asia/Shanghai (UTC+8, no DST). */
export function wechatTime(d: Date): string {
  const cst = new Date(d.getTime() + 8 * 3600 * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${cst.getUTCFullYear()}${p(cst.getUTCMonth() + 1)}${p(cst.getUTCDate())}${p(cst.getUTCHours())}${p(cst.getUTCMinutes())}${p(cst.getUTCSeconds())}`;
}

const nonce = () => randomBytes(12).toString('hex');

/** The instant of a yyyyMMddHHmmss Beijing time, or null when malformed. */
export function fromWechatTime(t: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(t);
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`);
  return Number.isNaN(d.getTime()) || wechatTime(d) !== t ? null : d;
}

/** An order whose time_expire has passed takes no payment. */
function expiredAt(o: Order, now: Date): boolean {
  if (!o.timeExpire) return now.getTime() - new Date(o.createdAt).getTime() >= 2 * 3600 * 1000;
  const t = fromWechatTime(o.timeExpire);
  return t !== null && now.getTime() >= t.getTime();
}

function envelope(fields: Record<string, unknown>): Record<string, unknown> {
  return { return_code: 'SUCCESS', return_msg: 'OK', appid: APPID, mch_id: MCH_ID, sub_appid: APPID, nonce_str: nonce(), sign: 'LOCAL', ...fields };
}

function fail(code: string, des: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return envelope({ result_code: 'FAIL', err_code: code, err_code_des: des, ...extra });
}

/** Runs the callback function; `message` is only the failure kind (error / crash / timeout). */
export type Invoke = (functionName: string, event: Record<string, unknown>, payerOpenid: string | undefined) => Promise<{ ok: boolean; reply?: any; message?: string }>;

export class Pay {
  readonly faults: PayFaults = { failNext: {}, dropNotifications: false, holdRefunds: false };
  /** Refund completions and notifications in flight (tests await them with settled()). */
  private inflight = new Set<Promise<unknown>>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly invoke: Invoke,
  ) {
    store.createCollection(ORDERS);
    store.createCollection(DELIVERIES);
    if (!store.hasCollection(REFUNDS)) store.createCollection(REFUNDS);
    // Refunds accepted before a restart complete after it (WeChat Pay went on while we were down),
    // once the server listens and the functions can be invoked.
    for (const r of store.find(REFUNDS, { status: 'PROCESSING' }) as Refund[]) this.scheduleCompletion(r.outRefundNo, 1000);
  }

  refund(outRefundNo: string): Refund | undefined {
    return this.store.getById(REFUNDS, outRefundNo) as Refund | undefined;
  }

  refunds(filter: Record<string, unknown> = {}): Refund[] {
    return this.store.find(REFUNDS, filter, { sort: { createdAt: 1 } }) as Refund[];
  }

  /** Resolves once no refund completion or notification is in flight. */
  async settled(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  order(outTradeNo: string): Order | undefined {
    return this.store.getById(ORDERS, outTradeNo) as Order | undefined;
  }

  deliveries(outTradeNo: string): Delivery[] {
    return this.store.find(DELIVERIES, { outTradeNo }, { sort: { at: 1 } }) as Delivery[];
  }

  /** Handles one wx.wxPayApi call; `payerOpenid` is the invoking function's caller. */
  api(apiName: string, data: Record<string, any>, payerOpenid: string | undefined): Record<string, unknown> {
    const failing = this.faults.failNext[apiName as keyof PayFaults['failNext']];
    if (failing && failing > 0) {
      this.faults.failNext[apiName as keyof PayFaults['failNext']] = failing - 1;
      return { return_code: 'FAIL', return_msg: 'SYSTEMERROR 系统繁忙，请稍后再试（注入的故障）' };
    }
    switch (apiName) {
      case 'unifiedOrder':
        return this.unifiedOrder(data, payerOpenid);
      case 'queryOrder':
        return this.queryOrder(data);
      case 'closeOrder':
        return this.closeOrder(data);
      case 'refund':
        return this.refundApi(data);
      case 'queryRefund':
        return this.queryRefund(data);
      default:
        return { return_code: 'FAIL', return_msg: `本地云未模拟 ${apiName}` };
    }
  }

  private unifiedOrder(d: Record<string, any>, payerOpenid: string | undefined): Record<string, unknown> {
    const outTradeNo = String(d.out_trade_no ?? '');
    const totalFee = Number(d.total_fee);
    if (!OUT_TRADE_NO.test(outTradeNo)) return fail('PARAM_ERROR', 'out_trade_no 格式错误');
    if (!Number.isInteger(totalFee) || totalFee <= 0) return fail('PARAM_ERROR', 'total_fee 必须为正整数（分）');
    if (!d.body || !d.function_name || typeof d.sub_mch_id !== 'string' || !d.sub_mch_id) return { return_code: 'FAIL', return_msg: '缺少参数 body / function_name / sub_mch_id' };
    if (typeof d.env_id !== 'string' || !d.env_id) return { return_code: 'FAIL', return_msg: '缺少参数 env_id' };
    const timeExpire = d.time_expire === undefined ? undefined : String(d.time_expire);
    const now = this.clock.now();
    const existing = this.order(outTradeNo);
    if (existing) {
      if (existing.tradeState === 'SUCCESS' || existing.tradeState === 'REFUND') return fail('ORDERPAID', '该订单已支付');
      if (existing.tradeState === 'CLOSED') return fail('ORDERCLOSED', '该订单已关闭');
      if (existing.totalFee !== totalFee || existing.body !== String(d.body) || existing.timeExpire !== timeExpire) return fail('INVALID_REQUEST', '201 商户订单号重复');
      if (expiredAt(existing, now)) return fail('ORDERCLOSED', '订单已过期');
      return this.prepayReply(existing);
    }
    if (timeExpire !== undefined) {
      const t = fromWechatTime(timeExpire);
      if (!t) return fail('PARAM_ERROR', 'time_expire 格式错误，应为 yyyyMMddHHmmss');
      if (t.getTime() - now.getTime() < MIN_EXPIRE_MS) return fail('PARAM_ERROR', 'time_expire时间过短，刷卡至少1分钟，其他5分钟');
    }
    const order: Order = {
      _id: outTradeNo,
      outTradeNo,
      body: String(d.body),
      totalFee,
      subMchId: String(d.sub_mch_id),
      envId: d.env_id,
      functionName: String(d.function_name),
      spbillCreateIp: d.spbill_create_ip ? String(d.spbill_create_ip) : undefined,
      prepayId: `wx${wechatTime(this.clock.now())}${randomBytes(8).toString('hex')}`,
      tradeState: 'NOTPAY',
      createdAt: this.clock.now(),
    };
    if (payerOpenid) order.payerOpenid = payerOpenid;
    if (order.spbillCreateIp === undefined) delete order.spbillCreateIp;
    if (timeExpire !== undefined) order.timeExpire = timeExpire;
    this.store.write([{ c: ORDERS, id: outTradeNo, doc: order as any }]);
    return this.prepayReply(order);
  }

  private prepayReply(o: Order): Record<string, unknown> {
    const timeStamp = String(Math.floor(this.clock.now().getTime() / 1000));
    const nonceStr = nonce();
    const pkg = `prepay_id=${o.prepayId}`;
    const paySign = createHash('md5').update(`${APPID}${timeStamp}${nonceStr}${pkg}`).digest('hex').toUpperCase();
    return envelope({
      sub_mch_id: o.subMchId,
      result_code: 'SUCCESS',
      trade_type: 'JSAPI',
      prepay_id: o.prepayId,
      payment: { appId: APPID, timeStamp, nonceStr, package: pkg, signType: 'MD5', paySign, outTradeNo: o.outTradeNo },
    });
  }

  private queryOrder(d: Record<string, any>): Record<string, unknown> {
    const o = this.order(String(d.out_trade_no ?? ''));
    if (!o) return fail('ORDERNOTEXIST', '此交易订单号不存在');
    const desc = { SUCCESS: '支付成功', NOTPAY: '订单未支付', CLOSED: '订单已关闭', REFUND: '转入退款' }[o.tradeState];
    return envelope({
      sub_mch_id: o.subMchId,
      result_code: 'SUCCESS',
      trade_state: o.tradeState,
      trade_state_desc: desc,
      out_trade_no: o.outTradeNo,
      total_fee: o.totalFee,
      fee_type: 'CNY',
      trade_type: 'JSAPI',
      ...(o.tradeState === 'SUCCESS' || o.tradeState === 'REFUND'
        ? { transaction_id: o.transactionId, cash_fee: o.totalFee, time_end: o.timeEnd, bank_type: 'OTHERS', sub_openid: o.payerOpenid }
        : {}),
    });
  }

  private closeOrder(d: Record<string, any>): Record<string, unknown> {
    const o = this.order(String(d.out_trade_no ?? ''));
    if (!o) return fail('ORDERNOTEXIST', '此交易订单号不存在');
    if (o.tradeState === 'SUCCESS' || o.tradeState === 'REFUND') return fail('ORDERPAID', '订单已支付，不能发起关单');
    if (this.clock.now().getTime() - new Date(o.createdAt).getTime() < MIN_CLOSE_AGE_MS) {
      return fail('SYSTEMERROR', '订单生成后不能马上调用关单接口，最短调用时间间隔为5分钟');
    }
    if (o.tradeState !== 'CLOSED') {
      this.store.write([{ c: ORDERS, id: o._id, doc: { ...o, tradeState: 'CLOSED', closedAt: this.clock.now() } as any }]);
    }
    return envelope({ sub_mch_id: o.subMchId, result_code: 'SUCCESS' });
  }

  private refundApi(d: Record<string, any>): Record<string, unknown> {
    const outRefundNo = String(d.out_refund_no ?? '');
    const totalFee = Number(d.total_fee);
    const refundFee = Number(d.refund_fee);
    if (typeof d.sub_mch_id !== 'string' || !d.sub_mch_id || typeof d.nonce_str !== 'string' || !d.nonce_str) return { return_code: 'FAIL', return_msg: '缺少参数 sub_mch_id / nonce_str' };
    if (typeof d.env_id !== 'string' || !d.env_id || typeof d.function_name !== 'string' || !d.function_name) return { return_code: 'FAIL', return_msg: '缺少参数 env_id / function_name' };
    if (!OUT_REFUND_NO.test(outRefundNo)) return fail('PARAM_ERROR', 'out_refund_no 格式错误');
    if (!Number.isInteger(totalFee) || !Number.isInteger(refundFee) || refundFee <= 0) return fail('PARAM_ERROR', 'total_fee / refund_fee 必须为正整数（分）');
    const o = d.transaction_id ? (this.store.find(ORDERS, { transactionId: String(d.transaction_id) }, { limit: 1 })[0] as Order | undefined) : this.order(String(d.out_trade_no ?? ''));
    if (!o) return fail('ORDERNOTEXIST', '订单不存在');
    if (o.tradeState !== 'SUCCESS' && o.tradeState !== 'REFUND') return fail('TRADE_STATE_ERROR', '订单状态错误，未支付的订单不能退款');
    const existing = this.refund(outRefundNo);
    if (existing) {
      // The same refund number sent again is the same refund (a retry after a lost reply).
      if (existing.outTradeNo !== o.outTradeNo || existing.refundFee !== refundFee || existing.totalFee !== totalFee) return fail('INVALID_REQUEST', '商户退款单号重复，但参数与原退款不一致');
      return this.refundReply(existing, o);
    }
    if (totalFee !== o.totalFee) return fail('INVALID_REQUEST', '订单金额与原订单不一致');
    if (this.clock.now().getTime() - new Date(o.paidAt ?? o.createdAt).getTime() > 365 * 86_400_000) return fail('INVALID_REQUEST', '交易时间超过一年的订单无法提交退款');
    const earlier = this.store.find(REFUNDS, { outTradeNo: o.outTradeNo }) as Refund[];
    if (earlier.length >= 50) return fail('INVALID_REQUEST', '每个支付订单的部分退款次数不能超过50次');
    const refunded = earlier.reduce((sum, r) => sum + r.refundFee, 0);
    if (refunded + refundFee > o.totalFee) return fail('INVALID_REQUEST', '申请退款总金额不能超过订单金额');
    const r: Refund = {
      _id: outRefundNo,
      outRefundNo,
      outTradeNo: o.outTradeNo,
      transactionId: o.transactionId ?? '',
      refundId: `5030${wechatTime(this.clock.now())}${randomBytes(7).toString('hex')}`,
      totalFee,
      refundFee,
      envId: d.env_id,
      functionName: d.function_name,
      status: 'PROCESSING',
      createdAt: this.clock.now(),
    };
    this.store.write([
      { c: REFUNDS, id: outRefundNo, doc: r as any },
      { c: ORDERS, id: o._id, doc: { ...o, tradeState: 'REFUND' } as any },
    ]);
    this.scheduleCompletion(outRefundNo);
    return this.refundReply(r, o);
  }

  private refundReply(r: Refund, o: Order): Record<string, unknown> {
    return envelope({
      sub_mch_id: o.subMchId,
      result_code: 'SUCCESS',
      transaction_id: r.transactionId,
      out_trade_no: r.outTradeNo,
      out_refund_no: r.outRefundNo,
      refund_id: r.refundId,
      refund_fee: r.refundFee,
      total_fee: r.totalFee,
      cash_fee: r.totalFee,
    });
  }

  /** As the cloud answers: lists, one entry for the refund asked. */
  private queryRefund(d: Record<string, any>): Record<string, unknown> {
    const r = d.out_refund_no ? this.refund(String(d.out_refund_no)) : undefined;
    if (!r) return fail('REFUNDNOTEXIST', '退款订单查询失败');
    return envelope({
      result_code: 'SUCCESS',
      transaction_id: r.transactionId,
      out_trade_no: r.outTradeNo,
      total_fee: r.totalFee,
      cash_fee: r.totalFee,
      refund_count: 1,
      out_refund_no_list: [r.outRefundNo],
      refund_id_list: [r.refundId],
      refund_fee_list: [r.refundFee],
      settlement_refund_fee_list: [r.refundFee],
      refund_status_list: [r.status],
      refund_recv_accout_list: ['支付用户零钱'],
      refund_success_time_list: r.successTime ? [r.successTime] : [],
    });
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p)).catch(() => undefined);
    return p;
  }

  /** A moment after acceptance the refund succeeds and its notification is delivered. */
  private scheduleCompletion(outRefundNo: string, afterMs = 5): void {
    this.track(
      new Promise<void>((resolve) => setTimeout(resolve, afterMs).unref()).then(async () => {
        if (this.faults.holdRefunds) return;
        await this.completeRefund(outRefundNo);
      }),
    );
  }

  /** Completes held refunds (after holdRefunds was set). */
  async completeRefunds(): Promise<number> {
    const held = this.refunds({ status: 'PROCESSING' });
    for (const r of held) await this.completeRefund(r.outRefundNo);
    return held.length;
  }

  private async completeRefund(outRefundNo: string): Promise<void> {
    const r = this.refund(outRefundNo);
    if (!r || r.status !== 'PROCESSING') return;
    const done: Refund = { ...r, status: 'SUCCESS', successTime: wechatTime(this.clock.now()).replace(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/, '$1-$2-$3 $4:$5:$6') };
    this.store.write([{ c: REFUNDS, id: outRefundNo, doc: done as any }]);
    if (!this.faults.dropNotifications) await this.deliverRefund(done);
  }

  /** The refund notification as the cloud delivers it: the decrypted req_info, camelCase. */
  refundEvent(r: Refund): Record<string, unknown> {
    const o = this.order(r.outTradeNo);
    return {
      returnCode: 'SUCCESS',
      appid: APPID,
      mchId: MCH_ID,
      subAppid: APPID,
      subMchId: o?.subMchId ?? '',
      nonceStr: nonce(),
      reqInfo: {
        transactionId: r.transactionId,
        outTradeNo: r.outTradeNo,
        refundId: r.refundId,
        outRefundNo: r.outRefundNo,
        totalFee: r.totalFee,
        refundFee: r.refundFee,
        settlementRefundFee: r.refundFee,
        refundStatus: r.status,
        successTime: r.successTime,
        refundRecvAccout: '支付用户零钱',
        refundAccount: 'REFUND_SOURCE_UNSETTLED_FUNDS',
        refundRequestSource: 'API',
      },
    };
  }

  /** Sends a refund's notification (again): WeChat retries until {errcode: 0}. */
  async redeliverRefund(outRefundNo: string): Promise<Delivery> {
    const r = this.refund(outRefundNo);
    if (!r) throw new PayError(404, 'REFUND_NOT_FOUND', '退款单不存在');
    return this.deliverRefund(r);
  }

  private async deliverRefund(r: Refund): Promise<Delivery> {
    return this.track(this.record(r.outTradeNo, r.functionName, this.invoke(r.functionName, this.refundEvent(r), undefined), { kind: 'refund', outRefundNo: r.outRefundNo }));
  }

  /**
   * Delivers an event through WeChat Pay's notification channel as given (tests: a notification
   * whose fields do not match what WeChat Pay knows, e.g. a smaller totalFee or another order).
   */
  async notify(functionName: string, event: Record<string, unknown>): Promise<Delivery> {
    return this.record(String(event.outTradeNo ?? ''), functionName, this.invoke(functionName, event, undefined), { kind: 'pay' });
  }

  /** The callback event WeChat sends for a paid order. */
  callbackEvent(o: Order): Record<string, unknown> {
    return {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      appid: APPID,
      mchId: MCH_ID,
      subAppid: APPID,
      subMchId: o.subMchId,
      nonceStr: nonce(),
      isSubscribe: 'N',
      subIsSubscribe: 'N',
      tradeType: 'JSAPI',
      bankType: 'OTHERS',
      feeType: 'CNY',
      outTradeNo: o.outTradeNo,
      transactionId: o.transactionId,
      totalFee: o.totalFee,
      cashFee: o.totalFee,
      timeEnd: o.timeEnd,
      openid: o.payerOpenid ?? '',
      subOpenid: o.payerOpenid ?? '',
      userInfo: { appId: APPID, openId: o.payerOpenid ?? '' },
    };
  }

  /** The user pays in the pay sheet: NOTPAY → SUCCESS, then the callback is delivered. */
  async confirm(outTradeNo: string): Promise<{ order: Order; delivery: Delivery }> {
    const o = this.order(outTradeNo);
    if (!o) throw new PayError(404, 'ORDER_NOT_FOUND', '订单不存在');
    if (o.tradeState === 'CLOSED') throw new PayError(409, 'ORDER_CLOSED', '订单已关闭，请重新下单');
    if (o.tradeState === 'SUCCESS' || o.tradeState === 'REFUND') throw new PayError(409, 'ORDER_PAID', '订单已支付');
    const now = this.clock.now();
    if (expiredAt(o, now)) throw new PayError(409, 'ORDER_EXPIRED', '订单已过期，请重新下单');
    const paid: Order = {
      ...o,
      tradeState: 'SUCCESS',
      transactionId: `4200${wechatTime(now)}${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`,
      timeEnd: wechatTime(now),
      paidAt: now,
    };
    this.store.write([{ c: ORDERS, id: o._id, doc: paid as any }]);
    if (this.faults.dropNotifications) {
      // Paid at WeChat Pay, the notification lost: only a query (the payer's, the sweeper's) finds it.
      return { order: paid, delivery: { _id: '', outTradeNo, functionName: o.functionName, at: now, ok: false, outcome: 'not delivered (injected)', kind: 'pay' } };
    }
    const delivery = await this.deliver(paid);
    return { order: paid, delivery };
  }

  /** Sends the callback of a paid order again (WeChat retries until {errcode: 0}). */
  async redeliver(outTradeNo: string): Promise<{ order: Order; delivery: Delivery }> {
    const o = this.order(outTradeNo);
    if (!o) throw new PayError(404, 'ORDER_NOT_FOUND', '订单不存在');
    if (o.tradeState !== 'SUCCESS' && o.tradeState !== 'REFUND') throw new PayError(409, 'ORDER_NOT_PAID', '订单尚未支付，无法重发支付通知');
    return { order: o, delivery: await this.deliver(o) };
  }

  private async deliver(o: Order): Promise<Delivery> {
    return this.record(o.outTradeNo, o.functionName, this.invoke(o.functionName, this.callbackEvent(o), o.payerOpenid), { kind: 'pay' });
  }

  private async record(outTradeNo: string, functionName: string, invocation: ReturnType<Invoke>, extra: Pick<Delivery, 'kind' | 'outRefundNo'>): Promise<Delivery> {
    const r = await invocation;
    let ok = false;
    let outcome: string;
    if (!r.ok) outcome = `invocation failed (${r.message ?? 'error'})`;
    else if (r.reply && typeof r.reply === 'object' && r.reply.errcode === 0) {
      ok = true;
      // The reply's errmsg too (what the function did: OK, already settled, …): WeChat Pay keeps it in its notification log.
      outcome = `errcode 0${typeof r.reply.errmsg === 'string' ? ` (${r.reply.errmsg.slice(0, 80)})` : ''}`;
    } else outcome = `reply without errcode 0 (errcode ${JSON.stringify(r.reply?.errcode ?? null)})`;
    const delivery: Delivery = { _id: randomBytes(12).toString('hex'), outTradeNo, functionName, at: this.clock.now(), ok, outcome, ...extra };
    if (!extra.outRefundNo) delete delivery.outRefundNo;
    this.store.write([{ c: DELIVERIES, id: delivery._id, doc: delivery as any }]);
    return delivery;
  }
}

export class PayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function publicOrder(o: Order, deliveries: Delivery[]): Record<string, unknown> {
  return {
    outTradeNo: o.outTradeNo,
    body: o.body,
    totalFee: o.totalFee,
    tradeState: o.tradeState,
    transactionId: o.transactionId ?? null,
    timeEnd: o.timeEnd ?? null,
    functionName: o.functionName,
    createdAt: o.createdAt,
    deliveries: deliveries.map((d) => ({ at: d.at, ok: d.ok, outcome: d.outcome })),
  };
}

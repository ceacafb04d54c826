/**
 * The only module that imports `wx-server-sdk`.
 *
 * It initialises the SDK once per function instance and implements the typed
 * ports of `ports.ts` on top of it. The same code runs in WeChat's cloud and
 * against the local cloud: only environment variables differ (see README).
 */
// eslint-disable-next-line @typescript-eslint/no-var-requires
import type { Caller, Clock, MessagesPort, PayPort, RefundState, StoragePort, SubscribeMessage, TradeState } from './ports';
import { AppError } from './errors';

// The SDK's typings are weak (get() is typed as `Promise | void | string`, cloudPay is
// undeclared); we type what we use here, once.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const cloud: any = require('wx-server-sdk');

let initialised = false;

function sdk(): any {
  if (!initialised) {
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
    initialised = true;
  }
  return cloud;
}

/** The SDK database handle; the typed document store in `database.ts` wraps it. */
export function rawDatabase(): any {
  return sdk().database({ throwOnNotFound: false });
}

/** The OPENID of the WeChat user behind this invocation, or '' (timer, pay, server-side calls). */
export function wxContextOpenid(): string {
  const ctx = sdk().getWXContext() as Record<string, unknown>;
  return typeof ctx.OPENID === 'string' ? ctx.OPENID : '';
}

/**
 * What triggered this invocation (getWXContext().SOURCE): 'wx_client' for a mini-program user,
 * 'wx_paycallback' for WeChat Pay's pay and refund notifications, 'wx_trigger' for a timer; a
 * chain ('wx_client,scf') when a function called another. Set by the platform, never by the event.
 */
export function invocationSource(): string {
  const ctx = sdk().getWXContext() as Record<string, unknown>;
  return typeof ctx.SOURCE === 'string' ? ctx.SOURCE : '';
}

export function callerFromPlatform(): Caller {
  const ctx = sdk().getWXContext() as Record<string, unknown>;
  const openid = typeof ctx.OPENID === 'string' ? ctx.OPENID : '';
  if (!openid) throw new AppError('UNAUTHENTICATED', '请在微信中打开，或先登录');
  return {
    openid,
    appid: typeof ctx.APPID === 'string' ? ctx.APPID : undefined,
    unionid: typeof ctx.UNIONID === 'string' ? ctx.UNIONID : undefined,
  };
}

/**
 * In the cloud, "now" is the machine clock. The local cloud passes the instant of
 * its own (movable) clock at invocation start plus the offset it applies, so a
 * function that runs for a while still sees time move.
 */
export const platformClock: Clock = {
  now() {
    const offset = Number(process.env.LOCAL_CLOUD_CLOCK_OFFSET_MS ?? '0');
    return new Date(Date.now() + (Number.isFinite(offset) ? offset : 0));
  },
};

export const storagePort: StoragePort = {
  async tempUrl(fileID, maxAgeSeconds) {
    const res = await sdk().getTempFileURL({ fileList: [{ fileID, maxAge: maxAgeSeconds }] });
    const item = res.fileList?.[0];
    if (!item || item.status !== 0 || !item.tempFileURL) throw new AppError('FILE_NOT_FOUND', '文件不存在或已删除');
    return item.tempFileURL as string;
  },
  async download(fileID) {
    const res = await sdk().downloadFile({ fileID });
    return res.fileContent as Buffer;
  },
  async remove(fileIDs) {
    if (fileIDs.length === 0) return;
    await sdk().deleteFile({ fileList: fileIDs });
  },
  async upload(cloudPath, bytes) {
    const res = await sdk().uploadFile({ cloudPath, fileContent: bytes });
    if (!res?.fileID) throw new AppError('UPLOAD_FAILED', '文件保存失败，请稍后再试');
    return res.fileID as string;
  },
};

function payEnvelopeOk(res: any): boolean {
  // WeChat Pay answers success in two layers; errCode alone is not enough.
  return res && res.returnCode === 'SUCCESS' && res.resultCode === 'SUCCESS';
}

const CONFIG_MISSING = () => new AppError('CONFIG_MISSING', '系统配置不完整，请联系管理员');

/**
 * The sub-merchant the payments go to (服务商模式, bound to the cloud environment in the console).
 * No fallback: a payment to a made-up merchant would fail at WeChat Pay or, worse, succeed for
 * the wrong one. A missing value stops the function like a missing ID key.
 */
export function subMchId(): string {
  const id = process.env.PAY_SUB_MCH_ID;
  if (!id || !/^\d{6,32}$/.test(id)) throw CONFIG_MISSING();
  return id;
}

/**
 * The environment this function runs in, from its own context. Never DYNAMIC_CURRENT_ENV: that is
 * a Symbol, which the JSON the SDK sends to WeChat Pay silently drops.
 */
export function currentEnvId(): string {
  const env = (sdk().getWXContext() as Record<string, unknown>).ENV;
  if (typeof env !== 'string' || !env) throw CONFIG_MISSING();
  return env;
}

const nonceStr = () => Math.random().toString(36).slice(2, 18);

export const payPort: PayPort = {
  async unifiedOrder(input) {
    const res = await sdk().cloudPay.unifiedOrder({
      body: input.body,
      outTradeNo: input.outTradeNo,
      spbillCreateIp: input.spbillCreateIp ?? '127.0.0.1',
      subMchId: subMchId(),
      totalFee: input.totalFee,
      envId: currentEnvId(),
      functionName: input.functionName,
      nonceStr: nonceStr(),
      tradeType: 'JSAPI',
      timeExpire: input.timeExpire,
    });
    if (!payEnvelopeOk(res) || !res.payment) {
      throw new AppError('PAY_UNAVAILABLE', '微信支付暂时不可用，请稍后再试');
    }
    return { payment: res.payment };
  },
  async queryOrder(outTradeNo) {
    const res = await sdk().cloudPay.queryOrder({ subMchId: subMchId(), outTradeNo, nonceStr: nonceStr() });
    if (!res || res.returnCode !== 'SUCCESS') throw new AppError('PAY_UNAVAILABLE', '暂时查不到支付结果，请稍后再试');
    if (res.resultCode !== 'SUCCESS') return { tradeState: 'NOTPAY' as TradeState };
    return {
      tradeState: res.tradeState as TradeState,
      transactionId: res.transactionId,
      totalFee: res.totalFee === undefined ? undefined : Number(res.totalFee),
      timeEnd: res.timeEnd,
    };
  },
  async closeOrder(outTradeNo) {
    const res = await sdk().cloudPay.closeOrder({ subMchId: subMchId(), outTradeNo, nonceStr: nonceStr() });
    // resultCode FAIL (paid meanwhile, too young to close, …) is a failure too: the order is
    // still payable at WeChat Pay, so the caller must not treat it as closed.
    if (!payEnvelopeOk(res)) throw new AppError('PAY_UNAVAILABLE', '订单关闭失败，请稍后再试');
  },
  async refund(input) {
    const res = await sdk().cloudPay.refund({
      sub_mch_id: subMchId(),
      nonce_str: nonceStr(),
      out_trade_no: input.outTradeNo,
      out_refund_no: input.outRefundNo,
      total_fee: input.totalFee,
      refund_fee: input.refundFee,
      envId: currentEnvId(),
      functionName: input.functionName,
    });
    // "cloudPay.refund:ok" can come with returnCode FAIL: both layers must say SUCCESS.
    if (!payEnvelopeOk(res)) throw new AppError('PAY_UNAVAILABLE', '退款申请未被受理，请稍后再试');
    return { refundId: typeof res.refundId === 'string' ? res.refundId : undefined };
  },
  async queryRefund(outRefundNo) {
    const res = await sdk().cloudPay.queryRefund({ sub_mch_id: subMchId(), nonce_str: nonceStr(), out_refund_no: outRefundNo });
    if (!res || res.returnCode !== 'SUCCESS') throw new AppError('PAY_UNAVAILABLE', '暂时查不到退款结果，请稍后再试');
    // The SDK overwrites WeChat Pay's err_code with its own errCode 0, so REFUNDNOTEXIST cannot be
    // told from a passing failure: both are NOTEXIST, and the caller submits the refund again with
    // the same out_refund_no, which WeChat Pay treats as the same refund (safe either way).
    if (res.resultCode !== 'SUCCESS') return { state: 'NOTEXIST' as RefundState };
    // The cloud answers either with lists (refundStatusList, …) or with WeChat Pay's indexed
    // fields (refundStatus_0, …); one refund number is asked, so it is the first either way.
    const first = (list: string, indexed: string): unknown => (Array.isArray(res[list]) ? res[list][0] : res[indexed]);
    const state = String(first('refundStatusList', 'refundStatus_0') ?? '') as RefundState;
    const fee = first('refundFeeList', 'refundFee_0');
    const time = first('refundSuccessTimeList', 'refundSuccessTime_0');
    if (!['SUCCESS', 'PROCESSING', 'REFUNDCLOSE', 'CHANGE'].includes(state)) throw new AppError('PAY_UNAVAILABLE', '暂时查不到退款结果，请稍后再试');
    return { state, refundFee: fee === undefined ? undefined : Number(fee), successTime: typeof time === 'string' ? time : undefined };
  },
};

/**
 * Subscribe messages. In the cloud: openapi.subscribeMessage.send (declared in the
 * function's config.json). The openapi channel is protobuf and has no local
 * stand-in, so locally the message lands in the local cloud's outbox instead.
 */
export const messagesPort: MessagesPort = {
  async sendSubscribe(message: SubscribeMessage) {
    const local = process.env.LOCAL_CLOUD_URL;
    if (local) {
      const res = await fetch(`${local}/internal/outbox`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
      });
      if (!res.ok) throw new AppError('MESSAGE_FAILED', '提醒发送失败');
      return;
    }
    await sdk().openapi.subscribeMessage.send({
      touser: message.touser,
      templateId: message.templateId,
      page: message.page,
      data: message.data,
      miniprogramState: message.miniprogramState,
      lang: message.lang,
    });
  },
};

/**
 * Typed ports between the domain and the platform.
 *
 * The domain and the function handlers only see these interfaces; `wx-cloud.ts`
 * (the one module that imports `wx-server-sdk`) implements them on the real SDK,
 * which in turn talks either to WeChat's cloud or to the local cloud.
 */

/** Who is calling: always from the platform (getWXContext), never from the event. */
export interface Caller {
  openid: string;
  appid?: string;
  unionid?: string;
}

/** "Now", read through a port so the local cloud can play any day of any season. */
export interface Clock {
  now(): Date;
}

export interface StoragePort {
  /** Short-lived download URL for a private file. */
  tempUrl(fileID: string, maxAgeSeconds: number): Promise<string>;
  /** Bytes of a stored file (used to check uploads on the server). */
  download(fileID: string): Promise<Buffer>;
  remove(fileIDs: string[]): Promise<void>;
}

export interface UnifiedOrderInput {
  body: string;
  outTradeNo: string;
  totalFee: number; // fen
  functionName: string; // the pay-callback function
  spbillCreateIp?: string;
  /** yyyyMMddHHmmss, Beijing time: WeChat Pay refuses payment after it (else ~2 h). */
  timeExpire: string;
}

export interface UnifiedOrderResult {
  /** Arguments for wx.requestPayment (weapp) or the local simulated pay sheet (H5). */
  payment: Record<string, unknown>;
}

export type TradeState = 'SUCCESS' | 'NOTPAY' | 'CLOSED' | 'REFUND' | 'USERPAYING' | 'PAYERROR';

export interface PayPort {
  unifiedOrder(input: UnifiedOrderInput): Promise<UnifiedOrderResult>;
  queryOrder(outTradeNo: string): Promise<{ tradeState: TradeState; transactionId?: string; totalFee?: number; timeEnd?: string }>;
  /** Fails unless WeChat Pay closed it (returnCode and resultCode); refused under 5 minutes of age. */
  closeOrder(outTradeNo: string): Promise<void>;
}

export interface SubscribeMessage {
  touser: string;
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
  /** The version the message opens: developer, trial or formal (the released one). */
  miniprogramState: 'developer' | 'trial' | 'formal';
  lang: 'zh_CN';
}

export interface MessagesPort {
  sendSubscribe(message: SubscribeMessage): Promise<void>;
}

/** What WeChat's face verification (微信人脸核身) says about one verify_result. */
export interface FaceResult {
  /** identify_ret === 0: the face matched the name and ID number the page passed. */
  ok: boolean;
  /** The WeChat user who did the verification. */
  openid: string;
  /** md5 of the ID number (final X upper-case), as WeChat reports it. */
  idCardNumberMd5: string;
  /** md5 of the UTF-8 name. */
  nameUtf8Md5: string;
  /** Unix seconds. */
  identifyTime: number;
}

export interface IdentityPort {
  /** Whether the function is configured to check face verifications (appid and secret present). */
  faceAvailable(): boolean;
  /** The server-side result of a verify_result; throws when WeChat cannot answer. */
  faceResult(verifyResult: string): Promise<FaceResult>;
}

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
  /** Writes a file the function made (an export) at cloudPath; returns its fileID. */
  upload(cloudPath: string, bytes: Buffer): Promise<string>;
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

export interface RefundInput {
  outTradeNo: string;
  /** ≤ 64, [A-Za-z0-9_-], unique; a failed refund is submitted again with the same number. */
  outRefundNo: string;
  /** The order's total as WeChat Pay confirmed it (fen). */
  totalFee: number;
  refundFee: number;
  /** The function that receives the refund result (WeChat Pay calls it like the pay callback). */
  functionName: string;
}

/** WeChat Pay's refund states (refund_status_$n); NOTEXIST: WeChat Pay has no such refund. */
export type RefundState = 'SUCCESS' | 'PROCESSING' | 'REFUNDCLOSE' | 'CHANGE' | 'NOTEXIST';

export interface PayPort {
  unifiedOrder(input: UnifiedOrderInput): Promise<UnifiedOrderResult>;
  queryOrder(outTradeNo: string): Promise<{ tradeState: TradeState; transactionId?: string; totalFee?: number; timeEnd?: string }>;
  /** Fails unless WeChat Pay closed it (returnCode and resultCode); refused under 5 minutes of age. */
  closeOrder(outTradeNo: string): Promise<void>;
  /** Fails unless WeChat Pay accepted the refund (returnCode and resultCode); acceptance is not success. */
  refund(input: RefundInput): Promise<{ refundId?: string }>;
  /** What WeChat Pay says about one refund; throws when it cannot answer. */
  queryRefund(outRefundNo: string): Promise<{ state: RefundState; refundFee?: number; successTime?: string }>;
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

/**
 * The insurance system (医保信息平台): paid enrollments go over as one batch file per exchange,
 * the platform's answer (registered on a date, or refused with a reason) comes back as a file.
 * The layouts are documented in test/fixtures/insurance/README.md; production talks to the
 * exchange endpoint named by INSURANCE_API_BASE (platform/insurance.ts).
 */
export interface InsuranceBatchFile {
  /** e.g. YB2023100901: unique per exchange; the platform takes a repeated batch number once. */
  batchNo: string;
  fileName: string;
  /** UTF-8 CSV in the export layout. */
  content: Buffer;
}

export interface InsurancePlatformPort {
  /**
   * Hands a batch over. Sending the same batch number with the same bytes again is answered as
   * accepted (a retry after a crash); other bytes under a known number are refused (BATCH_CONFLICT).
   */
  submitBatch(file: InsuranceBatchFile): Promise<void>;
  /** The platform's answer file for a batch, or null while it has not answered yet. */
  fetchAnswer(batchNo: string): Promise<{ fileName: string; content: Buffer } | null>;
}

/**
 * The event WeChat Pay delivers to the `payCallback` function. Not called by the client.
 * Loose object: WeChat adds keys (appid, mchId, nonceStr, sign, ...) that we ignore;
 * the fields we rely on are validated.
 */
import * as z from 'zod';
import { outTradeNoSchema } from './common';
import { lazySchema } from '../policy/lazy-schema';

const fenLike = z.union([z.number().int().min(0), z.string().regex(/^[0-9]{1,12}$/).transform(Number)]);

export const payCallbackEventSchema = z.looseObject({
  returnCode: z.string().max(16),
  resultCode: z.string().max(16).optional(),
  outTradeNo: outTradeNoSchema,
  transactionId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/).optional(),
  totalFee: fenLike.optional(),
  cashFee: fenLike.optional(),
  subOpenid: z.string().max(128).optional(),
  timeEnd: z.string().max(20).optional(),
});
export type PayCallbackEvent = z.infer<typeof payCallbackEventSchema>;

/**
 * WeChat Pay's refund notification, as the cloud delivers it to the function named in
 * cloudPay.refund: the decrypted req_info, camelCase. Only the refund number is used — the
 * result itself is asked of queryRefund.
 */
const refundInfoSchema = z.looseObject({
  outRefundNo: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/),
  outTradeNo: outTradeNoSchema.optional(),
  refundStatus: z.string().max(32).optional(),
});
export const refundNotificationSchema = z.looseObject({
  returnCode: z.string().max(16),
  reqInfo: refundInfoSchema,
});
export type RefundNotification = z.infer<typeof refundNotificationSchema>;

/** A refund notification carries reqInfo; a pay notification does not. */
export function isRefundNotification(event: unknown): boolean {
  return !!event && typeof event === 'object' && 'reqInfo' in (event as Record<string, unknown>);
}

export const payCallbackReplySchema = lazySchema(() => z.strictObject({ errcode: z.number().int(), errmsg: z.string() }));

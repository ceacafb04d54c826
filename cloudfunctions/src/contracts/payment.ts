/**
 * Contract of the `payment` cloud function (createOrder / queryOrder / closeOrder).
 * Amounts come from the server's policy engine only; the client sends who and which year.
 * No Node imports: this file is bundled into the mini-program.
 */
import * as z from 'zod';
import { benefitYearSchema, docIdSchema, fenSchema, outTradeNoSchema } from './common';
import { lazySchema } from '../policy/lazy-schema';

export * from './common';

export const orderItemInputSchema = lazySchema(() => z.strictObject({ personId: docIdSchema, benefitYear: benefitYearSchema }));

export const paymentRequestSchema = lazySchema(() =>
  z.discriminatedUnion('action', [
    z.strictObject({ action: z.literal('createOrder'), items: z.array(orderItemInputSchema).min(1).max(10) }),
    z.strictObject({ action: z.literal('queryOrder'), outTradeNo: outTradeNoSchema }),
    z.strictObject({ action: z.literal('closeOrder'), outTradeNo: outTradeNoSchema }),
  ]),
);
export type PaymentRequest = z.infer<typeof paymentRequestSchema>;
export type PaymentAction = PaymentRequest['action'];

/** closing: ended here, waiting for WeChat Pay to confirm the close; refunded: paid a wrong amount, given back. */
export const orderStatusSchema = lazySchema(() => z.enum(['pending', 'closing', 'paid', 'closed', 'expired', 'refunded']));
export type OrderStatus = z.infer<typeof orderStatusSchema>;

export const orderItemSchema = lazySchema(() =>
  z.strictObject({
    personId: docIdSchema,
    name: z.string(),
    idMasked: z.string().nullable(),
    benefitYear: benefitYearSchema,
    amountFen: fenSchema,
    /** Plain Chinese breakdown from the engine (contribution, assistance). */
    explanation: z.array(z.string()),
  }),
);
export type OrderItem = z.infer<typeof orderItemSchema>;

export const orderViewSchema = lazySchema(() =>
  z.strictObject({
    outTradeNo: outTradeNoSchema,
    status: orderStatusSchema,
    /** Plain Chinese label of the status. */
    statusText: z.string(),
    totalFeeFen: fenSchema,
    items: z.array(orderItemSchema),
    createdAt: z.string(),
    expiresAt: z.string(),
    paidAt: z.string().nullable(),
    transactionId: z.string().nullable(),
  }),
);
export type OrderView = z.infer<typeof orderViewSchema>;

export const createOrderReplySchema = lazySchema(() =>
  orderViewSchema.extend({
    /** Arguments for wx.requestPayment (weapp) or the local pay sheet (H5); passed through as is. */
    payment: z.record(z.string(), z.unknown()),
  }),
);

export const paymentReplies = {
  createOrder: createOrderReplySchema,
  queryOrder: orderViewSchema,
  closeOrder: orderViewSchema,
} satisfies Record<PaymentAction, z.ZodType>;

export type PaymentReply<A extends PaymentAction> = z.infer<(typeof paymentReplies)[A]>;

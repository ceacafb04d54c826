/**
 * Contract of the `staffPayments` cloud function: district and city staff look up a WeChat Pay
 * payment and refund one person's part of it with a reason (wrong person, paid twice with the
 * cash desk), and see the refunds of their scope — the automatic ones (double, late, mismatched
 * payments) and their own. Role and scope come from the `staff` collection by the platform
 * openid, never from the event. No Node imports: this file is bundled into the mini-program.
 */
import * as z from 'zod';
import { benefitYearSchema, docIdSchema, fenSchema, outTradeNoSchema } from './common';
import { resubmissionReasonSchema } from './staff';
import { lazySchema } from '../policy/lazy-schema';

/** The codes of domain/orders/refunds.ts STAFF_REFUND_REASONS. */
export const staffRefundReasonSchema = z.enum(['wrong_person', 'duplicate_with_cash', 'other']);

export const staffPaymentsRequestSchema = lazySchema(() =>
  z.discriminatedUnion('action', [
    /** One payment by its order number (商户订单号), with its refunds. */
    z.strictObject({ action: z.literal('findPayment'), outTradeNo: outTradeNoSchema }),
    /** Refund one person's part of a WeChat Pay payment; the person is no longer enrolled by it. */
    z.strictObject({
      action: z.literal('refundPayment'),
      outTradeNo: outTradeNoSchema,
      personId: docIdSchema,
      benefitYear: benefitYearSchema,
      reasonCode: staffRefundReasonSchema,
      /** 2–100 characters, kept in the audit log. */
      note: resubmissionReasonSchema,
    }),
    /** Refunds in the caller's scope, newest first; `open`: not yet confirmed by WeChat Pay, `failed`: needs staff. */
    z.strictObject({ action: z.literal('listRefunds'), status: z.enum(['open', 'failed', 'all']).default('all'), limit: z.number().int().min(1).max(100).default(50) }),
  ]),
);
export type StaffPaymentsRequest = z.infer<typeof staffPaymentsRequestSchema>;
export type StaffPaymentsRequestInput = z.input<typeof staffPaymentsRequestSchema>;
export type StaffPaymentsAction = StaffPaymentsRequest['action'];

export const staffRefundViewSchema = lazySchema(() =>
  z.strictObject({
    outRefundNo: z.string(),
    outTradeNo: outTradeNoSchema,
    amountFen: fenSchema,
    /** The person refunded; null: the whole payment (an amount that did not match the order). */
    personId: docIdSchema.nullable(),
    name: z.string().nullable(),
    benefitYear: benefitYearSchema.nullable(),
    cause: z.enum(['double_payment', 'late_payment', 'amount_mismatch', 'staff', 'assistance_difference']),
    /** Plain Chinese: 重复缴费, 订单关闭后才到账的付款, 支付金额与订单不符, or the staff reason. */
    causeText: z.string(),
    status: z.enum(['submitting', 'processing', 'succeeded', 'failed']),
    statusText: z.string(),
    createdAt: z.string(),
    succeededAt: z.string().nullable(),
  }),
);
export type StaffRefundView = z.infer<typeof staffRefundViewSchema>;

export const staffPaymentViewSchema = lazySchema(() =>
  z.strictObject({
    outTradeNo: outTradeNoSchema,
    transactionId: z.string(),
    paidAt: z.string(),
    totalFeeFen: fenSchema,
    items: z.array(z.strictObject({ personId: docIdSchema, name: z.string(), idMasked: z.string().nullable(), benefitYear: benefitYearSchema, amountFen: fenSchema, inScope: z.boolean() })),
    refunds: z.array(staffRefundViewSchema),
  }),
);

export const staffPaymentsReplies = {
  findPayment: staffPaymentViewSchema,
  refundPayment: staffRefundViewSchema,
  listRefunds: z.strictObject({ items: z.array(staffRefundViewSchema) }),
} satisfies Record<StaffPaymentsAction, z.ZodType>;

export type StaffPaymentsReply<A extends StaffPaymentsAction> = z.infer<(typeof staffPaymentsReplies)[A]>;
export type StaffPaymentView = z.infer<typeof staffPaymentViewSchema>;

/**
 * Contract of the `staffCash` cloud function: the community cash desk (社区现金收缴) for residents
 * who cannot pay on a phone — find or register the person, take the engine's quote in cash
 * against a 专用票据 number, print the receipt — and the remittance rules (汇缴入库) per community.
 * Role and scope come from the `staff` collection by the platform openid, never from the event.
 * No Node imports: this file is bundled into the mini-program.
 */
import * as z from 'zod';
import { benefitYearSchema, docIdSchema, fenSchema, isoDateSchema, personNameSchema, quoteViewSchema } from './common';
import { idNumberInputSchema, personRegistrationFields } from './person-fields';
import { deskPendingItemSchema } from './staffIdentity';
import { resubmissionReasonSchema } from './staff';
import { lazySchema } from '../policy/lazy-schema';

/**
 * The printed number of a 医疗保障专用票据 (or a 税收完税证明 / 缴款书 for a remittance): letters and
 * digits, 6–32 characters; compared without case and spaces.
 */
export const receiptNoSchema = z
  .string()
  .trim()
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .pipe(z.string().min(6).max(32).regex(/^[A-Z0-9-]+$/));
export const voucherNoSchema = receiptNoSchema;

/** Why a cash payment is reversed: 2–100 characters of plain Chinese (kept in the audit log). */
export const reversalReasonSchema = resubmissionReasonSchema;

export const staffCashRequestSchema = lazySchema(() =>
  z.discriminatedUnion('action', [
    /** By name and ID number (through the hash): the person, this year's status and quote. */
    z.strictObject({ action: z.literal('findPerson'), name: personNameSchema, idNumber: idNumberInputSchema, benefitYear: benefitYearSchema.optional() }),
    /** Staff register a person who has no record yet (ID card in hand at the desk). */
    z.strictObject({
      action: z.literal('registerPerson'),
      ...personRegistrationFields,
      /** The community (organisation id): required for district staff; a community worker's own otherwise. */
      communityId: docIdSchema.optional(),
      benefitYear: benefitYearSchema.optional(),
    }),
    /** Cash received: the quoted amount (as staff counted it) against the receipt's number. */
    z.strictObject({ action: z.literal('recordCash'), personId: docIdSchema, benefitYear: benefitYearSchema, amountFen: fenSchema.min(1), receiptNo: receiptNoSchema }),
    z.strictObject({ action: z.literal('receipt'), receiptNo: receiptNoSchema }),
    /** Unremitted cash per community in the caller's scope, with the remittance alerts. */
    z.strictObject({ action: z.literal('summary') }),
    z.strictObject({ action: z.literal('listUnremitted'), communityId: docIdSchema.optional(), limit: z.number().int().min(1).max(100).default(50) }),
    /** The tax voucher of a remittance and the receipts it covers (one community). */
    z.strictObject({ action: z.literal('recordRemittance'), voucherNo: voucherNoSchema, receiptNos: z.array(receiptNoSchema).min(1).max(100) }),
    /** District: a cash payment taken by mistake is undone (the enrollment is open again). */
    z.strictObject({ action: z.literal('reverseCash'), receiptNo: receiptNoSchema, reason: reversalReasonSchema }),
  ]),
);
export type StaffCashRequest = z.infer<typeof staffCashRequestSchema>;
export type StaffCashRequestInput = z.input<typeof staffCashRequestSchema>;
export type StaffCashAction = StaffCashRequest['action'];

export const enrollmentStateSchema = lazySchema(() => z.enum(['none', 'open', 'awaiting_payment', 'paid', 'enrolled', 'assisted_covered']));

export const deskPersonSchema = lazySchema(() =>
  z.strictObject({
    personId: docIdSchema,
    name: z.string(),
    idMasked: z.string().nullable(),
    district: z.string().nullable(),
    community: z.string().nullable(),
    benefitYear: benefitYearSchema,
    enrollment: z.strictObject({ state: enrollmentStateSchema, text: z.string(), paidBy: z.enum(['cash', 'wechat']).nullable() }),
    /** null: the engine has no answer for this person and year. */
    quote: quoteViewSchema.nullable(),
    /** Family members waiting for the person's signed authorization (record it with staffIdentity.deskAuthorize). */
    pendingAuthorizations: z.array(deskPendingItemSchema),
  }),
);
export type DeskPerson = z.infer<typeof deskPersonSchema>;

export const cashStatusSchema = lazySchema(() => z.enum(['unremitted', 'remitted', 'reversed']));

export const cashReceiptSchema = lazySchema(() =>
  z.strictObject({
    receiptNo: z.string(),
    personName: z.string(),
    idMasked: z.string().nullable(),
    community: z.string().nullable(),
    benefitYear: benefitYearSchema,
    amountFen: fenSchema,
    /** The engine's explanation of the amount, as on an online receipt. */
    explanation: z.array(z.string()),
    takenAt: z.string(),
    takenBy: z.string(),
    outTradeNo: z.string(),
    status: cashStatusSchema,
    voucherNo: z.string().nullable(),
    reverseReason: z.string().nullable(),
  }),
);
export type CashReceipt = z.infer<typeof cashReceiptSchema>;

export const remittanceRuleSchema = lazySchema(() =>
  z.strictObject({
    benefitYear: benefitYearSchema,
    withinDays: z.number().int().min(1),
    orWhenReachesFen: fenSchema,
    clause: z.string(),
    /** True when the year's scheme states no rule and the last stated one is applied (interpretation). */
    adopted: z.boolean(),
  }),
);

export const communityCashSchema = lazySchema(() =>
  z.strictObject({
    communityId: z.string(),
    community: z.string(),
    count: z.number().int().min(0),
    unremittedFen: fenSchema,
    oldestDay: isoDateSchema.nullable(),
    ageDays: z.number().int().min(0),
    /** age: the oldest has waited withinDays or more; amount: the total reached orWhenReachesFen. */
    alerts: z.array(z.enum(['age', 'amount'])),
  }),
);
export type CommunityCash = z.infer<typeof communityCashSchema>;

export const cashSummarySchema = lazySchema(() => z.strictObject({ rule: remittanceRuleSchema, communities: z.array(communityCashSchema) }));
export type CashSummary = z.infer<typeof cashSummarySchema>;

export const staffCashReplies = {
  findPerson: z.union([z.strictObject({ found: z.literal(false) }), z.strictObject({ found: z.literal(true), person: deskPersonSchema })]),
  registerPerson: z.strictObject({ found: z.literal(true), person: deskPersonSchema }),
  recordCash: cashReceiptSchema,
  receipt: cashReceiptSchema,
  summary: cashSummarySchema,
  listUnremitted: z.strictObject({ items: z.array(cashReceiptSchema) }),
  recordRemittance: z.strictObject({ voucherNo: z.string(), communityId: z.string(), community: z.string(), count: z.number().int(), totalFen: fenSchema }),
  reverseCash: cashReceiptSchema,
} satisfies Record<StaffCashAction, z.ZodType>;

export type StaffCashReply<A extends StaffCashAction> = z.infer<(typeof staffCashReplies)[A]>;

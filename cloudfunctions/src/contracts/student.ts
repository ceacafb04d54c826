/**
 * Contract of the `student` cloud function (issue 12): a verified student finds their own entry
 * on a university's or school's roster (待参保名单), and a parent their children's, with the
 * engine's amount; paying goes through the `payment` function like every order.
 * No Node imports: this file is bundled into the resident student subpackage only.
 */
import * as z from 'zod';
import { benefitYearSchema, docIdSchema, isoDateSchema, outTradeNoSchema, quoteViewSchema } from './common';
import { lazySchema } from '../policy/lazy-schema';

export const studentRequestSchema = lazySchema(() =>
  z.discriminatedUnion('action', [
    /** The caller's own entry (through their verified identity) and their children's. Nothing to type. */
    z.strictObject({ action: z.literal('myEntries'), benefitYear: benefitYearSchema.optional() }),
  ]),
);
export type StudentRequest = z.infer<typeof studentRequestSchema>;
export type StudentRequestInput = z.input<typeof studentRequestSchema>;
export type StudentAction = StudentRequest['action'];

export const studentEntrySchema = lazySchema(() =>
  z.object({
    personId: docIdSchema,
    relation: z.enum(['self', 'child']),
    entry: z.object({
      entryId: z.string(),
      orgName: z.string(),
      orgKind: z.enum(['university', 'school']),
      studentNo: z.string(),
      name: z.string(),
      idMasked: z.string(),
      faculty: z.string(),
      grade: z.string(),
      newStudent: z.boolean(),
      status: z.string(),
      statusText: z.string(),
      collectedOn: isoDateSchema.nullable(),
      benefitStart: isoDateSchema.nullable(),
    }).passthrough(),
    enrollment: z.object({ state: z.enum(['none', 'awaiting_payment', 'paid_pending_sync', 'enrolled', 'assisted_covered']), text: z.string() }),
    /** The engine's answer (null: no table for the year). */
    quote: quoteViewSchema.nullable(),
    canPay: z.boolean(),
    pendingOutTradeNo: outTradeNoSchema.nullable(),
    /** When benefits start: stored once paid; before, the date if paid today (`expected`). */
    benefitStart: z.object({ date: isoDateSchema, text: z.string(), expected: z.boolean() }).nullable(),
    /** The year's scheme has the new-student rule (2021: from the collection or payment date). */
    newStudentRule: z.boolean(),
  }),
);

export const studentEntriesSchema = lazySchema(() =>
  z.object({
    /** False: the caller has not verified themself yet (实名核验 first). */
    verified: z.boolean(),
    benefitYear: benefitYearSchema,
    entries: z.array(studentEntrySchema),
  }),
);
export type StudentEntries = z.infer<typeof studentEntriesSchema>;

export const studentReplies = {
  myEntries: studentEntriesSchema,
} satisfies Record<StudentAction, z.ZodType>;
export type StudentReply<A extends StudentAction> = z.infer<(typeof studentReplies)[A]>;

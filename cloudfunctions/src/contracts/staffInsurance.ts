/**
 * Contract of the `staffInsurance` cloud function: the exchange with the insurance system
 * (医保信息平台) — the city centre starts an export and follows its progress; community, district
 * and city staff see the registrations the platform refused in their scope and send a corrected
 * one again. Role and scope come from the `staff` collection by the platform openid.
 * No Node imports: this file is bundled into the mini-program.
 */
import * as z from 'zod';
import { docIdSchema, isoDateSchema } from './common';
import { jobIdSchema, jobViewSchema } from './jobs';
import { resubmissionReasonSchema } from './staff';
import { lazySchema } from '../policy/lazy-schema';

/** An enrollment's id: `<personId>_<benefit year>`. */
export const enrollmentIdSchema = z.string().min(6).max(80).regex(/^[A-Za-z0-9_-]+_\d{4}$/);

export const staffInsuranceRequestSchema = lazySchema(() =>
  z.discriminatedUnion('action', [
    /** City: the recent batches, the export under way and the refusals waiting. */
    z.strictObject({ action: z.literal('overview') }),
    /** City: export now (the batch under way, or a new one); idempotent while one runs. */
    z.strictObject({ action: z.literal('startExport') }),
    /** City: ask the platform for the answers of the batches waiting for one, and apply them. */
    z.strictObject({ action: z.literal('fetchAnswers') }),
    /** City: progress of an export or answer job (advances it a little). */
    z.strictObject({ action: z.literal('job'), jobId: jobIdSchema }),
    /** Registrations the platform refused, in the caller's scope. */
    z.strictObject({ action: z.literal('listRefused'), limit: z.number().int().min(1).max(100).default(50) }),
    /** The refusal is corrected (facts fixed, documents checked): export it again. */
    z.strictObject({ action: z.literal('resubmit'), enrollmentId: enrollmentIdSchema, note: resubmissionReasonSchema }),
  ]),
);
export type StaffInsuranceRequest = z.infer<typeof staffInsuranceRequestSchema>;
export type StaffInsuranceRequestInput = z.input<typeof staffInsuranceRequestSchema>;

export const exportReportSchema = lazySchema(() => z.object({ batchNo: z.string(), rows: z.number().int(), full: z.boolean() }));
export const answerReportSchema = lazySchema(() =>
  z.object({
    batchNo: z.string(),
    registered: z.number().int(),
    refused: z.number().int(),
    unknown: z.number().int(),
    malformed: z.array(z.number().int()),
    unanswered: z.number().int(),
  }),
);
export const insuranceJobViewSchema = jobViewSchema(z.union([exportReportSchema, answerReportSchema]));
export type InsuranceJobView = z.infer<typeof insuranceJobViewSchema>;

export const batchViewSchema = lazySchema(() =>
  z.strictObject({
    batchNo: z.string(),
    workDate: isoDateSchema,
    origin: z.enum(['timer', 'staff']),
    state: z.enum(['collecting', 'submitted', 'answered', 'done', 'empty', 'failed']),
    /** 报送中 / 等待回盘 / 回盘处理中 / 已完成 / 无待报送 / 报送失败 */
    stateText: z.string(),
    rows: z.number().int(),
    registered: z.number().int(),
    refused: z.number().int(),
    exportJobId: jobIdSchema,
    answerJobId: jobIdSchema.nullable(),
  }),
);
export type BatchView = z.infer<typeof batchViewSchema>;

export const refusedItemSchema = lazySchema(() =>
  z.strictObject({
    enrollmentId: enrollmentIdSchema,
    personId: docIdSchema,
    name: z.string(),
    idMasked: z.string().nullable(),
    community: z.string().nullable(),
    district: z.string().nullable(),
    benefitYear: z.number().int(),
    batchNo: z.string().nullable(),
    refusedOn: isoDateSchema,
    code: z.string(),
    reason: z.string(),
    whatToDo: z.string(),
  }),
);
export type RefusedItem = z.infer<typeof refusedItemSchema>;

export const staffInsuranceReplies = {
  overview: z.strictObject({
    today: isoDateSchema,
    workingDay: z.boolean(),
    /** The year's holidays are published (chinese-days or CALENDAR_OVERRIDES); else weekends only. */
    calendarKnown: z.boolean(),
    batches: z.array(batchViewSchema),
    running: insuranceJobViewSchema.nullable(),
  }),
  startExport: insuranceJobViewSchema,
  fetchAnswers: z.strictObject({ jobs: z.array(insuranceJobViewSchema) }),
  job: insuranceJobViewSchema,
  listRefused: z.strictObject({ items: z.array(refusedItemSchema) }),
  resubmit: z.strictObject({ enrollmentId: enrollmentIdSchema, state: z.literal('due') }),
} as const;

export type StaffInsuranceAction = StaffInsuranceRequest['action'];
export type StaffInsuranceReply<A extends StaffInsuranceAction> = z.infer<(typeof staffInsuranceReplies)[A]>;

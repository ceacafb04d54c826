/**
 * Contract of the `staffSeason` cloud function (issue 13): the season at city scale — the
 * progress table (附件2) with its export, and the screening of the unenrolled (排查). City centre
 * and district offices (a district sees the city's table with its own row marked; its own
 * screening list). No Node imports: this file is bundled into the mini-program (staff subpackage).
 */
import { z } from 'zod';
import { benefitYearSchema } from './common';
import { jobIdSchema, jobViewSchema } from './jobs';

export const staffSeasonRequestSchema = z.discriminatedUnion('action', [
  /** The progress table of a benefit year (default: the current one). */
  z.strictObject({ action: z.literal('progress'), benefitYear: benefitYearSchema.optional() }),
  /** The same as an xlsx file in the attachment's layout; a 10-minute download URL. */
  z.strictObject({ action: z.literal('progressExport'), benefitYear: benefitYearSchema.optional() }),
  /** City: count the year's paid enrollments into the counters again (idempotent; a job). */
  z.strictObject({ action: z.literal('progressRecount'), benefitYear: benefitYearSchema }),
  z.strictObject({ action: z.literal('progressRecountJob'), jobId: jobIdSchema }),
]);
export type StaffSeasonRequest = z.infer<typeof staffSeasonRequestSchema>;
export type StaffSeasonRequestInput = z.input<typeof staffSeasonRequestSchema>;
export type StaffSeasonAction = StaffSeasonRequest['action'];

const wan = z.number().nullable();
export const progressRowSchema = z.strictObject({
  area: z.string(),
  residentPopulationWan: wan,
  hukouPopulationWan: wan,
  lastYearEnrolledWan: wan,
  /** People (not 万人): counted live from the enrollments paid this benefit year. */
  enrolled: z.number().int().min(0),
  enrolledWan: z.number(),
  /** A fraction (0.9512 = 95.12%); null where last year's figure is unknown. */
  rate: z.number().nullable(),
  /** The caller's own district (a district office). */
  own: z.boolean(),
  note: z.string().nullable(),
});
export type ProgressRow = z.infer<typeof progressRowSchema>;

export const progressTableSchema = z.strictObject({
  benefitYear: benefitYearSchema,
  scheme: z.string(),
  title: z.string(),
  /** The 截止 date (Asia/Shanghai). */
  asOf: z.string(),
  unit: z.literal('万人'),
  headers: z.array(z.string()),
  rows: z.array(progressRowSchema),
  total: progressRowSchema,
  /** The coverage target drawn on the chart (95 in 2024, 99 in 2022). */
  targetPercent: z.number(),
  targetText: z.string(),
  /** Districts report by this day of each month (2021 scheme), or null. */
  reportByDay: z.number().int().nullable(),
  rateBase: z.string(),
  documentTitle: z.string(),
});
export type ProgressTable = z.infer<typeof progressTableSchema>;

export const exportReplySchema = z.strictObject({ url: z.string(), fileName: z.string() });

export const recountJobSchema = jobViewSchema(z.strictObject({ benefitYear: benefitYearSchema, enrollments: z.number().int().min(0) }));

export const staffSeasonReplies = {
  progress: progressTableSchema,
  progressExport: exportReplySchema,
  progressRecount: recountJobSchema,
  progressRecountJob: recountJobSchema,
} satisfies Record<StaffSeasonAction, z.ZodType>;
export type StaffSeasonReply<A extends StaffSeasonAction> = z.infer<(typeof staffSeasonReplies)[A]>;

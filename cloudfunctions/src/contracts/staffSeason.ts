/**
 * Contract of the `staffSeason` cloud function (issue 13): the season at city scale — the
 * progress table (附件2) with its export, and the screening of the unenrolled (排查). City centre
 * and district offices (a district sees the city's table with its own row marked; its own
 * screening list). No Node imports: this file is bundled into the mini-program (staff subpackage).
 */
import * as z from 'zod';
import { benefitYearSchema, docIdSchema } from './common';
import { jobIdSchema, jobViewSchema } from './jobs';
import { lazySchema } from '../policy/lazy-schema';

export const screeningFlagSchema = z.enum(['lapsed', 'over60', 'studentAge', 'assisted']);
/** 已在外地参保, 已参加职工医保, 已迁出, 拒绝参保, 承诺缴费. */
export const visitOutcomeSchema = z.enum(['enrolled_elsewhere', 'employee_insurance', 'moved_away', 'refused', 'will_pay']);

export const staffSeasonRequestSchema = lazySchema(() =>
  z.discriminatedUnion('action', [
    /** The progress table of a benefit year (default: the current one). */
    z.strictObject({ action: z.literal('progress'), benefitYear: benefitYearSchema.optional() }),
    /** The same as an xlsx file in the attachment's layout; a 10-minute download URL. */
    z.strictObject({ action: z.literal('progressExport'), benefitYear: benefitYearSchema.optional() }),
    /** City: count the year's paid enrollments into the counters again (idempotent; a job). */
    z.strictObject({ action: z.literal('progressRecount'), benefitYear: benefitYearSchema }),
    z.strictObject({ action: z.literal('progressRecountJob'), jobId: jobIdSchema }),
    /** City: where to upload a household-register extract (csv or xlsx, in the caller's folder). */
    z.strictObject({ action: z.literal('registerUploadTicket'), ext: z.enum(['csv', 'xlsx']) }),
    /** City: import the uploaded extract as a job (idempotent by the file's SHA-256). */
    z.strictObject({ action: z.literal('registerImport'), fileID: z.string().min(10).max(300) }),
    z.strictObject({ action: z.literal('registerImportJob'), jobId: jobIdSchema }),
    /** City: a screening run for a benefit year (a job); later runs shrink the list. */
    z.strictObject({ action: z.literal('screeningRun'), benefitYear: benefitYearSchema }),
    z.strictObject({ action: z.literal('screeningRunJob'), jobId: jobIdSchema }),
    /** Per district (city) or community (district, community) with the flags; the screening period. */
    z.strictObject({ action: z.literal('screeningSummary'), benefitYear: benefitYearSchema.optional() }),
    z.strictObject({
      action: z.literal('screeningList'),
      benefitYear: benefitYearSchema.optional(),
      district: z.string().min(2).max(20).optional(),
      community: z.string().min(1).max(40).optional(),
      flag: screeningFlagSchema.optional(),
      status: z.enum(['open', 'closed', 'unvisited']).default('open'),
      skip: z.number().int().min(0).max(100_000).default(0),
      limit: z.number().int().min(1).max(100).default(20),
    }),
    z.strictObject({ action: z.literal('screeningVisit'), entryId: docIdSchema, outcome: visitOutcomeSchema, note: z.string().trim().min(1).max(100).optional() }),
    z.strictObject({
      action: z.literal('screeningExport'),
      benefitYear: benefitYearSchema.optional(),
      district: z.string().min(2).max(20).optional(),
      community: z.string().min(1).max(40).optional(),
      flag: screeningFlagSchema.optional(),
      status: z.enum(['open', 'closed', 'unvisited']).default('open'),
      format: z.enum(['csv', 'xlsx']).default('xlsx'),
    }),
    z.strictObject({ action: z.literal('screeningRemind'), benefitYear: benefitYearSchema.optional(), entryIds: z.array(docIdSchema).min(1).max(50) }),
  ]),
);
export type StaffSeasonRequest = z.infer<typeof staffSeasonRequestSchema>;
export type StaffSeasonRequestInput = z.input<typeof staffSeasonRequestSchema>;
export type StaffSeasonAction = StaffSeasonRequest['action'];

const wan = z.number().nullable();
export const progressRowSchema = lazySchema(() =>
  z.strictObject({
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
  }),
);
export type ProgressRow = z.infer<typeof progressRowSchema>;

export const progressTableSchema = lazySchema(() =>
  z.strictObject({
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
  }),
);
export type ProgressTable = z.infer<typeof progressTableSchema>;

export const exportReplySchema = lazySchema(() => z.strictObject({ url: z.string(), fileName: z.string() }));

const flagsSchema = lazySchema(() => z.strictObject({ lapsed: z.boolean(), over60: z.boolean(), studentAge: z.boolean(), assisted: z.boolean() }));
export const screeningEntryViewSchema = lazySchema(() =>
  z.strictObject({
    entryId: z.string(),
    name: z.string(),
    idMasked: z.string(),
    district: z.string(),
    township: z.string(),
    community: z.string(),
    flags: flagsSchema,
    status: z.enum(['open', 'closed', 'enrolled', 'gone']),
    visit: z.strictObject({ outcome: visitOutcomeSchema, note: z.string().nullable(), byName: z.string(), at: z.string() }).nullable(),
    reminded: z.string().nullable(),
    /** A person record exists (enrolled before): a reminder may reach an account acting for them. */
    canRemind: z.boolean(),
  }),
);
export type ScreeningEntryView = z.infer<typeof screeningEntryViewSchema>;

export const screeningSummarySchema = lazySchema(() =>
  z.strictObject({
    benefitYear: benefitYearSchema,
    period: z.strictObject({ start: z.string(), end: z.string(), startAsWritten: z.string() }),
    /** Today lies in the scheme's screening period: staff home shows the list first. */
    inPeriod: z.boolean(),
    comparedWith: z.array(benefitYearSchema),
    focus: z.array(z.string()),
    lastRun: z.strictObject({ runId: z.string(), status: z.string(), createdAt: z.string(), finishedAt: z.string().nullable() }).nullable(),
    groupedBy: z.enum(['district', 'community']),
    groups: z.array(z.strictObject({ name: z.string(), open: z.number().int(), unvisited: z.number().int(), lapsed: z.number().int(), over60: z.number().int(), studentAge: z.number().int(), assisted: z.number().int() })),
  }),
);
export type ScreeningSummary = z.infer<typeof screeningSummarySchema>;

const registerReportSchema = lazySchema(() =>
  z.strictObject({
    rows: z.number().int(),
    added: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    invalid: z.number().int(),
    problems: z.array(z.strictObject({ row: z.number().int(), reason: z.string() })),
    districts: z.array(z.strictObject({ district: z.string(), count: z.number().int() })),
  }),
);
const runReportSchema = lazySchema(() =>
  z.strictObject({
    benefitYear: benefitYearSchema,
    compared: z.array(benefitYearSchema),
    register: z.number().int(),
    unenrolled: z.number().int(),
    flags: z.strictObject({ lapsed: z.number().int(), over60: z.number().int(), studentAge: z.number().int(), assisted: z.number().int() }),
    byDistrict: z.array(z.strictObject({ district: z.string(), unenrolled: z.number().int() })),
  }),
);

export const recountJobSchema = jobViewSchema(z.strictObject({ benefitYear: benefitYearSchema, enrollments: z.number().int().min(0) }));

export const staffSeasonReplies = {
  progress: progressTableSchema,
  progressExport: exportReplySchema,
  progressRecount: recountJobSchema,
  progressRecountJob: recountJobSchema,
  registerUploadTicket: z.strictObject({ cloudPath: z.string(), maxBytes: z.number().int() }),
  registerImport: jobViewSchema(registerReportSchema),
  registerImportJob: jobViewSchema(registerReportSchema),
  screeningRun: jobViewSchema(runReportSchema),
  screeningRunJob: jobViewSchema(runReportSchema),
  screeningSummary: screeningSummarySchema,
  screeningList: z.strictObject({ benefitYear: benefitYearSchema, total: z.number().int(), items: z.array(screeningEntryViewSchema) }),
  screeningVisit: screeningEntryViewSchema,
  screeningExport: z.strictObject({ url: z.string(), fileName: z.string(), rows: z.number().int() }),
  screeningRemind: z.strictObject({ sent: z.number().int(), noAccount: z.number().int(), notSubscribed: z.number().int() }),
} satisfies Record<StaffSeasonAction, z.ZodType>;
export type StaffSeasonReply<A extends StaffSeasonAction> = z.infer<(typeof staffSeasonReplies)[A]>;

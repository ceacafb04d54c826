/**
 * Contract of the `staffLists` cloud function (issue 12): the departments' and districts'
 * assisted-people lists (资助参保名单) imported from xlsx/csv as jobs, their progress and report,
 * the mobilization list (动员名单) per township and community, and the reconciliation list
 * (多缴核对). Role and scope come from the `staff` collection by the platform openid.
 * No Node imports: this file is bundled into the mini-program.
 */
import * as z from 'zod';
import { benefitYearSchema, fenSchema } from './common';
import { exportFileSchema, jobIdSchema, jobViewSchema, uploadTicketSchema } from './jobs';
import { lazySchema } from '../policy/lazy-schema';

/** A fileID in the caller's own staff folder (checked again on the server). */
export const sheetFileIdSchema = z.string().min(10).max(300).regex(/^cloud:\/\/[^\s]+$/);
const placeText = z.string().trim().min(1).max(40);
const entryIdSchema = z.string().regex(/^mob-[0-9a-f]{32}$/);
const reconciliationIdSchema = z.string().regex(/^rec-[0-9a-f]{32}$/);
/**
 * How a reconciliation entry's difference went back: through WeChat Pay to the account that paid
 * (a partial refund of that person's part: the enrollment stays paid), or in cash at the desk.
 */
export const reconciliationWaySchema = z.enum(['wechat_refund', 'cash_returned']);
export type ReconciliationWay = z.infer<typeof reconciliationWaySchema>;
const exportFormatSchema = z.enum(['csv', 'xlsx']);

export const staffListsRequestSchema = lazySchema(() =>
  z.discriminatedUnion('action', [
    /** Where the page uploads the sheet (the caller's own folder in storage). */
    z.strictObject({ action: z.literal('uploadTicket'), ext: z.enum(['xlsx', 'csv']) }),
    /**
     * Import the uploaded sheet for a benefit year. `category` (Chinese name) applies to every row
     * when the sheet has no 救助类别 column. The same file for the same year is the same import.
     */
    z.strictObject({
      action: z.literal('startImport'),
      fileID: sheetFileIdSchema,
      fileName: z.string().trim().min(1).max(100),
      benefitYear: benefitYearSchema,
      category: z.string().trim().min(1).max(30).optional(),
    }),
    /** An import's or export's progress and report (the starter and the level above). */
    z.strictObject({ action: z.literal('jobStatus'), jobId: jobIdSchema }),
    z.strictObject({ action: z.literal('listImports') }),
    z.strictObject({
      action: z.literal('mobilization'),
      /** Without it: the current season's year (the reply says which). */
      benefitYear: benefitYearSchema.optional(),
      township: placeText.optional(),
      community: placeText.optional(),
      status: z.enum(['open', 'worked']).optional(),
      offset: z.number().int().min(0).max(100_000).default(0),
      limit: z.number().int().min(1).max(50).default(20),
    }),
    z.strictObject({
      action: z.literal('exportMobilization'),
      benefitYear: benefitYearSchema,
      township: placeText.optional(),
      community: placeText.optional(),
      status: z.enum(['open', 'worked']).optional(),
      format: exportFormatSchema.default('xlsx'),
    }),
    /** Community workers and districts record that they visited these people. */
    z.strictObject({
      action: z.literal('markWorked'),
      benefitYear: benefitYearSchema,
      entryIds: z.array(entryIdSchema).min(1).max(50),
      note: z.string().trim().min(1).max(100).optional(),
    }),
    z.strictObject({
      action: z.literal('reconciliation'),
      benefitYear: benefitYearSchema.optional(),
      offset: z.number().int().min(0).max(100_000).default(0),
      limit: z.number().int().min(1).max(50).default(20),
    }),
    /**
     * Districts and the city give the difference back (退还差额): a WeChat payment by a partial refund
     * to the payer, a cash payment by recording the cash returned (the note names the receipt).
     * Once per entry: asking again answers with what was done.
     */
    z.strictObject({
      action: z.literal('settleReconciliation'),
      benefitYear: benefitYearSchema,
      entryId: reconciliationIdSchema,
      way: reconciliationWaySchema,
      note: z.string().trim().min(1).max(100),
    }),
  ]),
);
export type StaffListsRequest = z.infer<typeof staffListsRequestSchema>;
export type StaffListsRequestInput = z.input<typeof staffListsRequestSchema>;
export type StaffListsAction = StaffListsRequest['action'];

export const rowErrorSchema = lazySchema(() => z.object({ row: z.number().int(), code: z.string(), message: z.string(), idMasked: z.string().nullable() }));

export const importReportSchema = lazySchema(() =>
  z.object({
    outcome: z.enum(['imported', 'rejected']),
    fileName: z.string(),
    format: z.string(),
    encoding: z.string().nullable(),
    benefitYear: z.number().int(),
    rows: z.number().int(),
    errorCount: z.number().int(),
    errorsByCode: z.record(z.string(), z.number().int()),
    errors: z.array(rowErrorSchema),
    fileErrors: z.array(z.string()),
    timing: z.object({ kind: z.enum(['initial', 'addition', 'late_addition', 'monthly_change']), receivedOn: z.string(), dueBy: z.string(), late: z.boolean() }),
    results: z
      .object({
        listed: z.number().int(),
        alreadyListed: z.number().int(),
        autoEnrolled: z.number().int(),
        personsCreated: z.number().int(),
        alreadyCovered: z.number().int(),
        mobilization: z.number().int(),
        reconciliation: z.number().int(),
        awaitingPayment: z.number().int(),
        unresolvedCommunities: z.number().int(),
      })
      .nullable(),
  }),
);
export type ImportReport = z.infer<typeof importReportSchema>;

export const importJobSchema = jobViewSchema(importReportSchema);
export type ImportJob = z.infer<typeof importJobSchema>;
export const exportJobSchema = jobViewSchema(exportFileSchema);

/** What every row of a department's list shows, in either view (mobilization, reconciliation). */
const listEntryFields = () => ({
  entryId: z.string(),
  name: z.string(),
  idMasked: z.string(),
  category: z.string(),
  percent: z.number().int(),
  township: z.string().nullable(),
  community: z.string().nullable(),
});

export const mobilizationItemSchema = lazySchema(() =>
  z.object({
    ...listEntryFields(),
    payableFen: fenSchema,
    status: z.enum(['open', 'worked']),
    workedAt: z.string().nullable(),
    note: z.string().nullable(),
    /** Paid (or covered) for the year by now. */
    paid: z.boolean(),
  }),
);
export type MobilizationItem = z.infer<typeof mobilizationItemSchema>;

export const reconciliationItemSchema = lazySchema(() =>
  z.object({
    ...listEntryFields(),
    paidFen: fenSchema,
    dueFen: fenSchema,
    differenceFen: fenSchema,
    status: z.enum(['open', 'settled']),
    /** How the person paid the full amount: the way the difference can go back. */
    channel: z.enum(['wechat', 'cash', 'university']),
    /** Once settled: how, when, and for a WeChat refund its state (退款处理中 / 已退款 / 退款未成功…). */
    settledWay: reconciliationWaySchema.nullable(),
    settledAt: z.string().nullable(),
    refundStatusText: z.string().nullable(),
    settleNote: z.string().nullable(),
  }),
);
export type ReconciliationItem = z.infer<typeof reconciliationItemSchema>;

export const staffListsReplies = {
  uploadTicket: uploadTicketSchema,
  startImport: importJobSchema.extend({ existing: z.boolean() }),
  jobStatus: z.union([importJobSchema, exportJobSchema]),
  /** `years`: benefit years a list may be sent for, the season's first (the server's clock). */
  listImports: z.object({ imports: z.array(importJobSchema), years: z.array(z.number().int()) }),
  mobilization: z.object({
    total: z.number().int(),
    items: z.array(mobilizationItemSchema),
    places: z.array(z.object({ township: z.string().nullable(), community: z.string() })),
    benefitYear: z.number().int(),
    years: z.array(z.number().int()),
  }),
  exportMobilization: exportJobSchema,
  markWorked: z.object({ marked: z.number().int() }),
  reconciliation: z.object({ total: z.number().int(), items: z.array(reconciliationItemSchema), benefitYear: z.number().int(), years: z.array(z.number().int()) }),
  settleReconciliation: reconciliationItemSchema,
} satisfies Record<StaffListsAction, z.ZodType>;

export type StaffListsReply<A extends StaffListsAction> = z.infer<(typeof staffListsReplies)[A]>;

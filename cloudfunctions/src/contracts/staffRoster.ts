/**
 * Contract of the `staffRoster` cloud function (issue 12): university and school rosters — the
 * upload (a job: contracts/jobs.ts), the pending-enrollment list per faculty, progress per
 * university and faculty, and the university's batch of fees collected with tuition.
 * Role and scope come from the `staff` collection by the platform openid, never from the event.
 * No Node imports: this file is bundled into the staff subpackage.
 */
import * as z from 'zod';
import { benefitYearSchema, docIdSchema, fenSchema, isoDateSchema } from './common';
import { jobIdSchema, jobViewSchema, uploadTicketSchema } from './jobs';
import { lazySchema } from '../policy/lazy-schema';

export const rosterStatusSchema = z.enum(['pending', 'paid_wechat', 'paid_other', 'collected']);
export type RosterStatusValue = z.infer<typeof rosterStatusSchema>;

/** fileID of a staff upload (files/uploads.ts: the caller's own folder; checked again on the server). */
export const staffFileIdSchema = z.string().min(10).max(512).regex(/^cloud:\/\/[A-Za-z0-9._-]+\/staff-files\/[0-9a-f]{32}\/[0-9a-f]{24}\.(xlsx|csv)$/);
/** The university's own number for a collection batch (e.g. its 收款收据 number): the idempotency key. */
export const batchNoSchema = z
  .string()
  .trim()
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .pipe(z.string().min(4).max(32).regex(/^[A-Z0-9-]+$/));
const facultySchema = z.string().trim().min(1).max(40);

export const staffRosterRequestSchema = lazySchema(() =>
  z.discriminatedUnion('action', [
    /** Where to upload the roster file (the caller's own folder). */
    z.strictObject({ action: z.literal('uploadTicket'), ext: z.enum(['xlsx', 'csv']) }),
    /** Starts (or returns, for the same file) the import job of an uploaded roster. */
    z.strictObject({ action: z.literal('importRoster'), benefitYear: benefitYearSchema, fileID: staffFileIdSchema, fileName: z.string().trim().min(1).max(100) }),
    /** The import job's progress and, once done, its report (advances it a little). */
    z.strictObject({ action: z.literal('importStatus'), jobId: jobIdSchema }),
    /** The caller's earlier roster imports, newest first. */
    z.strictObject({ action: z.literal('listImports') }),
    /** Counts per faculty (one organisation) or per organisation (city, district: without orgId). */
    z.strictObject({ action: z.literal('progress'), benefitYear: benefitYearSchema.optional(), orgId: docIdSchema.optional() }),
    z.strictObject({
      action: z.literal('listEntries'),
      benefitYear: benefitYearSchema,
      orgId: docIdSchema.optional(),
      faculty: facultySchema.optional(),
      status: rosterStatusSchema.optional(),
      studentNo: z.string().trim().min(1).max(40).optional(),
      skip: z.number().int().min(0).max(100_000).default(0),
      limit: z.number().int().min(1).max(100).default(50),
    }),
    /** The university collected the fee with tuition on `collectedOn` for these students; one batch. */
    z.strictObject({
      action: z.literal('recordCollection'),
      benefitYear: benefitYearSchema,
      batchNo: batchNoSchema,
      collectedOn: isoDateSchema,
      entryIds: z.array(docIdSchema).min(1).max(100),
    }),
    z.strictObject({ action: z.literal('listBatches'), benefitYear: benefitYearSchema }),
  ]),
);
export type StaffRosterRequest = z.infer<typeof staffRosterRequestSchema>;
export type StaffRosterRequestInput = z.input<typeof staffRosterRequestSchema>;
export type StaffRosterAction = StaffRosterRequest['action'];

export const rosterRowErrorSchema = lazySchema(() =>
  z.object({
    line: z.number().int(),
    field: z.string().nullable(),
    code: z.string(),
    message: z.string(),
  }),
);

export const rosterImportReportSchema = lazySchema(() =>
  z.object({
    fileName: z.string(),
    benefitYear: benefitYearSchema,
    orgName: z.string(),
    /** False: the file had problems and nothing was written (all or nothing). */
    imported: z.boolean(),
    rows: z.number().int().min(0),
    accepted: z.number().int().min(0),
    newEntries: z.number().int().min(0),
    /** Students already on this school's roster from an earlier file (kept as they were). */
    alreadyListed: z.number().int().min(0),
    faculties: z.number().int().min(0),
    errorCount: z.number().int().min(0),
    errorsByCode: z.record(z.string(), z.number().int()),
    /** The first 200 problems, by line. */
    errors: z.array(rosterRowErrorSchema),
  }),
);
export type RosterImportReport = z.infer<typeof rosterImportReportSchema>;

export const rosterJobSchema = jobViewSchema(rosterImportReportSchema);

export const rosterEntryViewSchema = lazySchema(() =>
  z.object({
    entryId: docIdSchema,
    orgId: z.string(),
    orgName: z.string(),
    orgKind: z.enum(['university', 'school']),
    benefitYear: benefitYearSchema,
    studentNo: z.string(),
    name: z.string(),
    idMasked: z.string(),
    faculty: z.string(),
    grade: z.string(),
    newStudent: z.boolean(),
    status: rosterStatusSchema,
    statusText: z.string(),
    paidAt: z.string().nullable(),
    collectedOn: isoDateSchema.nullable(),
    batchId: z.string().nullable(),
    benefitStart: isoDateSchema.nullable(),
  }),
);
export type RosterEntryView = z.infer<typeof rosterEntryViewSchema>;

const countsShape = {
  total: z.number().int().min(0),
  paidWechat: z.number().int().min(0),
  collected: z.number().int().min(0),
  paidOther: z.number().int().min(0),
  notYet: z.number().int().min(0),
};

export const rosterProgressSchema = lazySchema(() =>
  z.object({
    benefitYear: benefitYearSchema,
    orgId: z.string().nullable(),
    orgName: z.string().nullable(),
    by: z.enum(['faculty', 'organisation']),
    total: z.object(countsShape),
    groups: z.array(z.object({ key: z.string(), name: z.string(), ...countsShape })),
  }),
);
export type RosterProgress = z.infer<typeof rosterProgressSchema>;

export const rosterBatchSchema = lazySchema(() =>
  z.object({
    batchId: z.string(),
    batchNo: z.string(),
    orgName: z.string(),
    benefitYear: benefitYearSchema,
    collectedOn: isoDateSchema,
    status: z.enum(['reserved', 'recorded']),
    count: z.number().int().min(0),
    totalFen: fenSchema,
    results: z.array(z.object({ entryId: z.string(), ok: z.boolean(), code: z.string().optional(), message: z.string().optional(), amountFen: fenSchema.optional() })),
    recordedBy: z.string(),
    recordedAt: z.string().nullable(),
  }),
);
export type RosterBatch = z.infer<typeof rosterBatchSchema>;

export const staffRosterReplies = {
  uploadTicket: uploadTicketSchema,
  importRoster: rosterJobSchema,
  importStatus: rosterJobSchema,
  listImports: z.object({ items: z.array(rosterJobSchema) }),
  progress: rosterProgressSchema,
  listEntries: z.object({ orgId: z.string(), orgName: z.string(), items: z.array(rosterEntryViewSchema), more: z.boolean() }),
  recordCollection: rosterBatchSchema,
  listBatches: z.object({ items: z.array(rosterBatchSchema) }),
} satisfies Record<StaffRosterAction, z.ZodType>;

export type StaffRosterReply<A extends StaffRosterAction> = z.infer<(typeof staffRosterReplies)[A]>;

/**
 * Contract of the `staffPolicy` cloud function (issue 13): the city centre enters a new benefit
 * year's policy as a table (checked by the engine's own `policyTableSchema`), previews it on
 * sample people against last year's table, and publishes it from a chosen date. Published
 * versions are immutable once a payment used them: a correction is a new version with a reason.
 * City role only. No Node imports: this file is bundled into the mini-program (staff subpackage).
 */
import * as z from 'zod';
import { benefitYearSchema, docIdSchema, fenSchema, isoDateSchema } from './common';
import { resubmissionReasonSchema } from './staff';
import { lazySchema } from '../policy/lazy-schema';

/** A policy table as entered; its shape is checked by the engine's schema on the server. */
const tableInputSchema = z.record(z.string(), z.unknown());

/** Why a correction (or an edit of a published, unused version) is made: kept in the audit log. */
export const policyReasonSchema = resubmissionReasonSchema;

/** A sample person of the preview (no ID number: a birth date and the facts the engine reads). */
export const previewSampleSchema = z.strictObject({
  label: z.string().trim().min(1).max(30),
  birthDate: isoDateSchema,
  hukou: z.enum(['local', 'nonlocal', 'foreign']),
  residencePermit: z.boolean().default(false),
  student: z.boolean().default(false),
  employeeInsured: z.boolean().default(false),
  assistance: z.array(z.string().max(40)).max(12).default([]),
});

export const staffPolicyRequestSchema = lazySchema(() =>
  z.discriminatedUnion('action', [
    /** Every version of every entered year, newest first, with whether a payment used it. */
    z.strictObject({ action: z.literal('list') }),
    z.strictObject({ action: z.literal('get'), id: docIdSchema }),
    /** A starting table for a year: the latest earlier year's table with its dates moved on. */
    z.strictObject({ action: z.literal('template'), benefitYear: benefitYearSchema }),
    /** Validates and saves the year's draft (a new version; `reason` required once a version is published). */
    z.strictObject({ action: z.literal('saveDraft'), table: tableInputSchema, reason: policyReasonSchema.optional(), fictional: z.boolean().default(false) }),
    /** Edits a published version in place: only while no order was made under it. */
    z.strictObject({ action: z.literal('editPublished'), id: docIdSchema, table: tableInputSchema, reason: policyReasonSchema }),
    /** Quotes for the sample people under the table and under last year's, and the changed fields. */
    z.strictObject({ action: z.literal('preview'), table: tableInputSchema, samples: z.array(previewSampleSchema).max(20).optional() }),
    /** The draft takes effect at 00:00 (Asia/Shanghai) of `effectiveFrom` (today or later). */
    z.strictObject({ action: z.literal('publish'), id: docIdSchema, effectiveFrom: isoDateSchema }),
    /** A draft nobody published is thrown away. */
    z.strictObject({ action: z.literal('discardDraft'), id: docIdSchema }),
  ]),
);
export type StaffPolicyRequest = z.infer<typeof staffPolicyRequestSchema>;
export type StaffPolicyRequestInput = z.input<typeof staffPolicyRequestSchema>;
export type StaffPolicyAction = StaffPolicyRequest['action'];
export type PreviewSample = z.input<typeof previewSampleSchema>;

export const policyVersionStatusSchema = lazySchema(() => z.enum(['draft', 'published']));

export const policyVersionSummarySchema = lazySchema(() =>
  z.strictObject({
    id: docIdSchema,
    benefitYear: benefitYearSchema,
    version: z.number().int().min(1),
    status: policyVersionStatusSchema,
    title: z.string(),
    fictional: z.boolean(),
    /** Shanghai date it takes (or took) effect; null for a draft. */
    effectiveFrom: isoDateSchema.nullable(),
    /** Published and in effect now (the latest version whose date has come). */
    inEffect: z.boolean(),
    /** An order was made under it: it can no longer be edited, only corrected. */
    locked: z.boolean(),
    reason: z.string().nullable(),
    individualContributionFen: fenSchema,
    window: z.strictObject({ start: isoDateSchema, end: isoDateSchema }),
    createdAt: z.string(),
    publishedAt: z.string().nullable(),
  }),
);
export type PolicyVersionSummary = z.infer<typeof policyVersionSummarySchema>;

export const policyListReplySchema = lazySchema(() =>
  z.strictObject({
    builtInYears: z.array(benefitYearSchema),
    items: z.array(policyVersionSummarySchema),
  }),
);

/** The engine's assistance categories (code and Chinese name), for the form's percentage rows. */
const categoriesSchema = lazySchema(() => z.array(z.strictObject({ code: z.string(), label: z.string() })));
export const policyGetReplySchema = lazySchema(() => z.strictObject({ version: policyVersionSummarySchema, table: z.record(z.string(), z.unknown()), categories: categoriesSchema }));
export const policyTemplateReplySchema = lazySchema(() => z.strictObject({ basedOn: benefitYearSchema, table: z.record(z.string(), z.unknown()), categories: categoriesSchema }));
export const policySaveReplySchema = lazySchema(() => z.strictObject({ version: policyVersionSummarySchema }));

/** One quote, as the preview shows it beside last year's. */
export const previewQuoteSchema = lazySchema(() =>
  z.strictObject({
    eligible: z.boolean(),
    payableFen: fenSchema.nullable(),
    individualContributionFen: fenSchema,
    assistancePercent: z.number().int().min(0).max(100),
    windowOpen: z.boolean(),
    reasons: z.array(z.string()),
  }),
);

export const previewRowSchema = lazySchema(() =>
  z.strictObject({
    label: z.string(),
    next: previewQuoteSchema,
    /** null: no earlier year's table to compare with. */
    last: previewQuoteSchema.nullable(),
    /** Field names whose values differ between the two quotes. */
    changed: z.array(z.string()),
  }),
);

export const fieldDiffSchema = lazySchema(() => z.strictObject({ field: z.string(), label: z.string(), last: z.string(), next: z.string() }));

export const policyPreviewReplySchema = lazySchema(() =>
  z.strictObject({
    benefitYear: benefitYearSchema,
    /** The earlier year compared with, or null. */
    comparedWith: benefitYearSchema.nullable(),
    rows: z.array(previewRowSchema),
    fields: z.array(fieldDiffSchema),
  }),
);
export type PolicyPreview = z.infer<typeof policyPreviewReplySchema>;

export const staffPolicyReplies = {
  list: policyListReplySchema,
  get: policyGetReplySchema,
  template: policyTemplateReplySchema,
  saveDraft: policySaveReplySchema,
  editPublished: policySaveReplySchema,
  preview: policyPreviewReplySchema,
  publish: policySaveReplySchema,
  discardDraft: z.strictObject({ discarded: z.string() }),
} satisfies Record<StaffPolicyAction, z.ZodType>;

export type StaffPolicyReply<A extends StaffPolicyAction> = z.infer<(typeof staffPolicyReplies)[A]>;

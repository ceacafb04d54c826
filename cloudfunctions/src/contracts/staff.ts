/**
 * Contract of the `staffDocuments` cloud function: staff review of uploaded identity documents.
 * The caller's role and scope come from the `staff` collection (by the platform openid), never
 * from the event. No Node imports: this file is bundled into the mini-program.
 */
import * as z from 'zod';
import { docIdSchema, hukouSchema, isoDateSchema, personNameSchema } from './common';
import { documentKindSchema, eligibilityAnswersSchema, idNumberInputSchema } from './person-fields';
import { whoamiReplySchema } from './staff-whoami';
import { lazySchema } from '../policy/lazy-schema';

/** What the review list can show: awaiting review, approved, or sent back. */
export const reviewStatusSchema = z.enum(['pending_review', 'approved', 'needs_resubmission']);

/** Opaque paging cursor returned by listPending. */
export const reviewCursorSchema = z.string().min(1).max(200).regex(/^[A-Za-z0-9_:.|-]+$/);
/** Why the resident must upload again: 2–100 characters of plain Chinese (with common punctuation). */
export const resubmissionReasonSchema = z
  .string()
  .trim()
  .min(2)
  .max(100)
  .regex(/^[\u4e00-\u9fa5\u3400-\u4dbf0-9，。、；：！？（）“”《》·\s-]+$/)
  .refine((s) => /[\u4e00-\u9fa5\u3400-\u4dbf]/.test(s), { message: 'reason must be Chinese' });

export const staffDocumentsRequestSchema = lazySchema(() =>
  z.discriminatedUnion('action', [
    // Whether the caller (platform openid) is staff: the client shows the staff entry only then.
    z.strictObject({ action: z.literal('whoami') }),
    /**
     * The review queue (default: awaiting review) in the caller's scope, oldest first, with filters;
     * `name` or `idNumber` finds one person's documents (the number only through its keyed hash).
     */
    z.strictObject({
      action: z.literal('listPending'),
      limit: z.number().int().min(1).max(50).default(20),
      cursor: reviewCursorSchema.optional(),
      status: reviewStatusSchema.default('pending_review'),
      kind: documentKindSchema.optional(),
      /** Uploaded on or after / on or before these Beijing dates. */
      from: isoDateSchema.optional(),
      to: isoDateSchema.optional(),
      name: personNameSchema.optional(),
      idNumber: idNumberInputSchema.optional(),
    }),
    /** Opens one file: its type is checked again by its bytes, then a short-lived URL. */
    z.strictObject({ action: z.literal('openDocument'), documentId: docIdSchema }),
    z.strictObject({ action: z.literal('approve'), documentId: docIdSchema }),
    /** Several at once: each checked on its own (role, scope, own family, file); results per item. */
    z.strictObject({
      action: z.literal('approveMany'),
      documentIds: z
        .array(docIdSchema)
        .min(1)
        .max(20)
        .refine((ids) => new Set(ids).size === ids.length, { message: 'documentIds must be distinct' }),
    }),
    z.strictObject({ action: z.literal('requestResubmission'), documentId: docIdSchema, reason: resubmissionReasonSchema }),
  ]),
);
export type StaffDocumentsRequest = z.infer<typeof staffDocumentsRequestSchema>;
export type StaffDocumentsRequestInput = z.input<typeof staffDocumentsRequestSchema>;
export type StaffDocumentsAction = StaffDocumentsRequest['action'];

export const pendingDocumentSchema = lazySchema(() =>
  z.strictObject({
    documentId: docIdSchema,
    personId: docIdSchema,
    personName: z.string(),
    idMasked: z.string().nullable(),
    district: z.string().nullable(),
    kind: documentKindSchema,
    mime: z.string(),
    uploadedAt: z.string(),
    status: reviewStatusSchema,
    reason: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    /** The registered address, decrypted for the staff member in scope (null on records without one). */
    address: z.string().nullable(),
    /** The community (社区/村居) the person registered with; null on records made before communities. */
    community: z.string().nullable(),
    hukou: hukouSchema,
    answers: eligibilityAnswersSchema,
    /** This benefit year's enrollment: not_enrolled, awaiting_payment, paid_pending_sync, enrolled, assisted_covered. */
    payment: z.strictObject({ benefitYear: z.number().int(), status: z.string(), text: z.string() }),
    /** Removed from storage (retention after approval): nothing to open. */
    fileDeleted: z.boolean(),
    /** The stored bytes are not what was recorded at upload: not served. */
    fileMismatch: z.boolean(),
  }),
);
export type PendingDocument = z.infer<typeof pendingDocumentSchema>;

export const listPendingReplySchema = lazySchema(() =>
  z.strictObject({
    items: z.array(pendingDocumentSchema),
    nextCursor: z.string().nullable(),
  }),
);

export const openDocumentReplySchema = lazySchema(() =>
  z.strictObject({
    documentId: docIdSchema,
    mime: z.string(),
    /** Short-lived URL of the file (seconds, see expiresInSeconds). */
    tempUrl: z.string(),
    expiresInSeconds: z.number().int(),
  }),
);

export const approveManyReplySchema = lazySchema(() =>
  z.strictObject({
    approved: z.number().int().min(0),
    results: z.array(
      z.union([
        z.strictObject({ documentId: docIdSchema, ok: z.literal(true), status: z.literal('approved') }),
        z.strictObject({ documentId: docIdSchema, ok: z.literal(false), code: z.string(), message: z.string() }),
      ]),
    ),
  }),
);

export const reviewResultSchema = lazySchema(() =>
  z.strictObject({
    documentId: docIdSchema,
    status: z.enum(['approved', 'needs_resubmission']),
    reason: z.string().nullable(),
  }),
);

export { staffRoleSchema, whoamiReplySchema, type WhoamiReply } from './staff-whoami';

export const staffDocumentsReplies = {
  whoami: whoamiReplySchema,
  listPending: listPendingReplySchema,
  openDocument: openDocumentReplySchema,
  approve: reviewResultSchema,
  approveMany: approveManyReplySchema,
  requestResubmission: reviewResultSchema,
} satisfies Record<StaffDocumentsAction, z.ZodType>;

export type StaffDocumentsReply<A extends StaffDocumentsAction> = z.infer<(typeof staffDocumentsReplies)[A]>;

/**
 * Contract of the `staffDocuments` cloud function: staff review of uploaded identity documents.
 * The caller's role and scope come from the `staff` collection (by the platform openid), never
 * from the event. No Node imports: this file is bundled into the mini-program.
 */
import { z } from 'zod';
import { docIdSchema } from './common';
import { documentKindSchema } from './resident';

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

export const staffDocumentsRequestSchema = z.discriminatedUnion('action', [
  // Whether the caller (platform openid) is staff: the client shows the staff entry only then.
  z.strictObject({ action: z.literal('whoami') }),
  z.strictObject({ action: z.literal('listPending'), limit: z.number().int().min(1).max(50).default(20), cursor: reviewCursorSchema.optional() }),
  z.strictObject({ action: z.literal('approve'), documentId: docIdSchema }),
  z.strictObject({ action: z.literal('requestResubmission'), documentId: docIdSchema, reason: resubmissionReasonSchema }),
]);
export type StaffDocumentsRequest = z.infer<typeof staffDocumentsRequestSchema>;
export type StaffDocumentsRequestInput = z.input<typeof staffDocumentsRequestSchema>;
export type StaffDocumentsAction = StaffDocumentsRequest['action'];

export const pendingDocumentSchema = z.strictObject({
  documentId: docIdSchema,
  personId: docIdSchema,
  personName: z.string(),
  idMasked: z.string().nullable(),
  district: z.string().nullable(),
  kind: documentKindSchema,
  mime: z.string(),
  uploadedAt: z.string(),
  /** Short-lived URL of the file (minutes). */
  tempUrl: z.string(),
});
export type PendingDocument = z.infer<typeof pendingDocumentSchema>;

export const listPendingReplySchema = z.strictObject({
  items: z.array(pendingDocumentSchema),
  nextCursor: z.string().nullable(),
});

export const reviewResultSchema = z.strictObject({
  documentId: docIdSchema,
  status: z.enum(['approved', 'needs_resubmission']),
  reason: z.string().nullable(),
});

export const staffRoleSchema = z.enum(['community', 'district', 'university', 'department', 'city']);

/** `{staff: false}` for everyone not in the `staff` collection; the role only for staff. */
export const whoamiReplySchema = z.union([
  z.strictObject({ staff: z.literal(true), role: staffRoleSchema }),
  z.strictObject({ staff: z.literal(false) }),
]);
export type WhoamiReply = z.infer<typeof whoamiReplySchema>;

export const staffDocumentsReplies = {
  whoami: whoamiReplySchema,
  listPending: listPendingReplySchema,
  approve: reviewResultSchema,
  requestResubmission: reviewResultSchema,
} satisfies Record<StaffDocumentsAction, z.ZodType>;

export type StaffDocumentsReply<A extends StaffDocumentsAction> = z.infer<(typeof staffDocumentsReplies)[A]>;

/**
 * Contract of the `staffIdentity` cloud function: staff decide disputed claims on a person
 * (a second, unrelated family claiming the same child; an unverified registration that a
 * verified self-claim displaced) and see identity-guessing alerts. Role and scope come from
 * the `staff` collection by the platform openid, never from the event.
 * No Node imports: this file is bundled into the mini-program.
 */
import * as z from 'zod';
import { docIdSchema, relationSchema } from './common';
import { authorizationBasisSchema, documentKindSchema, idNumberInputSchema } from './person-fields';
import { resubmissionReasonSchema } from './staff';
import { lazySchema } from '../policy/lazy-schema';

/** Why staff decided as they did: 2–100 characters of plain Chinese (kept in the audit log). */
export const disputeReasonSchema = resubmissionReasonSchema;

export const staffIdentityRequestSchema = lazySchema(() =>
  z.discriminatedUnion('action', [
    z.strictObject({ action: z.literal('listDisputes'), limit: z.number().int().min(1).max(50).default(20) }),
    z.strictObject({
      action: z.literal('resolveDispute'),
      linkId: docIdSchema,
      decision: z.enum(['grant', 'revoke']),
      reason: disputeReasonSchema,
    }),
    z.strictObject({ action: z.literal('listAlerts'), limit: z.number().int().min(1).max(50).default(20) }),
    /** At the community desk: the pending authorizations on the person whose ID card staff hold. */
    z.strictObject({ action: z.literal('deskPending'), idNumber: idNumberInputSchema }),
    /**
     * Community staff record the person's signed authorization (an elderly person without a phone
     * came to the desk): a pending claim becomes active, basis desk_authorized.
     */
    z.strictObject({ action: z.literal('deskAuthorize'), linkId: docIdSchema, reason: disputeReasonSchema }),
    /** City centre: one chunk of the migration of records written before issue 9 (idempotent; repeat until done). */
    z.strictObject({ action: z.literal('migrateIdentity') }),
  ]),
);
export type StaffIdentityRequest = z.infer<typeof staffIdentityRequestSchema>;
export type StaffIdentityRequestInput = z.input<typeof staffIdentityRequestSchema>;
export type StaffIdentityAction = StaffIdentityRequest['action'];

/** One document a claimant uploaded for the person: the file itself opens through staffDocuments.openDocument (type re-checked, short-lived URL). */
export const evidenceDocumentSchema = lazySchema(() =>
  z.strictObject({
    documentId: docIdSchema,
    kind: documentKindSchema,
    mime: z.string(),
    status: z.enum(['pending_review', 'approved', 'needs_resubmission', 'replaced']),
    uploadedAt: z.string(),
    /** The file was deleted from storage (retention after approval, or replaced by its uploader). */
    fileDeleted: z.boolean(),
    /** The file's bytes no longer match what was recorded at upload: it is not served. */
    fileMismatch: z.boolean(),
  }),
);
export type EvidenceDocument = z.infer<typeof evidenceDocumentSchema>;

export const disputeItemSchema = lazySchema(() =>
  z.strictObject({
    linkId: docIdSchema,
    personId: docIdSchema,
    personName: z.string(),
    idMasked: z.string().nullable(),
    district: z.string().nullable(),
    /** The disputed claim: the claimant's relation and basis. */
    relation: relationSchema,
    basis: authorizationBasisSchema,
    /** Masked name of the claimant's own verified person, or 微信用户. */
    claimantLabel: z.string(),
    /** The name the claimant typed, when it differs from the record's. */
    claimedName: z.string().nullable().optional(),
    /** Whether the claimant's account is verified as some person. */
    claimantVerified: z.boolean(),
    /** Evidence the claimant attached for the person (document ids; open them in 证件材料审核). */
    evidenceDocumentIds: z.array(docIdSchema),
    /** The disputed claimant's documents for the person, opened through staffDocuments.openDocument. */
    evidence: z.array(evidenceDocumentSchema),
    /** Other authorizations on the same person, side by side with the disputed one. */
    others: z.array(
      z.strictObject({
        relation: relationSchema,
        basis: authorizationBasisSchema,
        status: z.string(),
        claimantLabel: z.string(),
        claimantVerified: z.boolean(),
        since: z.string(),
        evidence: z.array(evidenceDocumentSchema),
      }),
    ),
    since: z.string(),
  }),
);
export type DisputeItem = z.infer<typeof disputeItemSchema>;

export const staffAlertSchema = lazySchema(() =>
  z.strictObject({
    alertId: docIdSchema,
    kind: z.literal('identity_guessing'),
    /** per_account: one WeChat account failed repeatedly; per_id: one ID number was tried repeatedly. */
    scope: z.enum(['per_account', 'per_id']),
    failures: z.number().int().min(0),
    at: z.string(),
  }),
);

export const deskPendingItemSchema = lazySchema(() =>
  z.strictObject({
    linkId: docIdSchema,
    personId: docIdSchema,
    personName: z.string(),
    idMasked: z.string().nullable(),
    relation: relationSchema,
    claimantLabel: z.string(),
    since: z.string(),
  }),
);

export const staffIdentityReplies = {
  listDisputes: z.strictObject({ items: z.array(disputeItemSchema) }),
  /** `told`: how many losing claimants were sent the result (they all see it on their home). */
  resolveDispute: z.strictObject({ linkId: docIdSchema, status: z.enum(['active', 'revoked']), revoked: z.number().int().min(0), told: z.number().int().min(0) }),
  listAlerts: z.strictObject({ items: z.array(staffAlertSchema) }),
  deskPending: z.strictObject({ items: z.array(deskPendingItemSchema) }),
  deskAuthorize: z.strictObject({ linkId: docIdSchema, status: z.literal('active') }),
  migrateIdentity: z.strictObject({ persons: z.number().int(), links: z.number().int(), records: z.number().int(), done: z.boolean() }),
} satisfies Record<StaffIdentityAction, z.ZodType>;

export type StaffIdentityReply<A extends StaffIdentityAction> = z.infer<(typeof staffIdentityReplies)[A]>;

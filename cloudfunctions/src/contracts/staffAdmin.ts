/**
 * Contract of the `staffAdmin` cloud function (issue 11): organisations and staff accounts down
 * the levels (city → districts, universities, departments; district → communities, schools),
 * the one-time invitation code that binds an account to a WeChat user, disabling, the first
 * city-centre account (bootstrap), a person's community, the staff home, and the read-only
 * audit log. Role and scope come from the `staff` collection by the platform openid, never from
 * the event. No Node imports: this file is bundled into the mini-program.
 */
import * as z from 'zod';
import { docIdSchema, isoDateSchema, personNameSchema } from './common';
import { idNumberInputSchema } from './person-fields';
import { cashSummarySchema } from './staffCash';
import { resubmissionReasonSchema, staffRoleSchema } from './staff';
import { lazySchema } from '../policy/lazy-schema';

export const orgKindSchema = lazySchema(() => z.enum(['city', 'district', 'community', 'university', 'school', 'department']));
export type OrgKind = z.infer<typeof orgKindSchema>;

/** An organisation's name: Chinese (with digits and brackets), 2–40 characters. */
export const orgNameSchema = z.string().trim().min(2).max(40).regex(/^[\u4e00-\u9fa5\u3400-\u4dbf0-9（）()·]+$/);
/** Staff invitation codes: 12 letters/digits from an alphabet without look-alikes, dashes optional. */
export const staffInvitationCodeSchema = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s-]/g, '').toUpperCase())
  .pipe(z.string().regex(/^[A-HJ-NP-Z2-9]{12}$/));
/** The bootstrap secret (STAFF_BOOTSTRAP_CODE in the function's environment). */
export const bootstrapCodeSchema = z.string().min(16).max(128);
/** Why: 2–100 characters of plain Chinese (kept in the audit log). */
export const adminReasonSchema = resubmissionReasonSchema;
/** The audit log's entity kinds (the "action" filter). */
export const auditEntitySchema = z.enum(['enrollment', 'order', 'payment', 'document', 'person', 'family_link', 'identity_check', 'invitation', 'staff_account', 'organisation', 'cash_payment', 'cash_remittance', 'refund', 'policy_table', 'assistance_list', 'student_roster']);

export const staffAdminRequestSchema = lazySchema(() =>
  z.discriminatedUnion('action', [
    /** The first city-centre account: only while none exists, only with the environment's secret. */
    z.strictObject({ action: z.literal('bootstrap'), code: bootstrapCodeSchema, name: personNameSchema }),
    /** The invitee, in their own WeChat, binds the account the level above created. */
    z.strictObject({ action: z.literal('bindInvitation'), code: staffInvitationCodeSchema }),
    /** The organisations the caller creates accounts for (its children; the city also itself). */
    z.strictObject({ action: z.literal('listOrganisations') }),
    z.strictObject({
      action: z.literal('createOrganisation'),
      kind: z.enum(['community', 'school', 'university', 'department']),
      name: orgNameSchema,
      /** A community's township (街道/乡镇): required for communities. */
      township: orgNameSchema.optional(),
    }),
    z.strictObject({ action: z.literal('createAccount'), orgId: docIdSchema, name: personNameSchema }),
    z.strictObject({ action: z.literal('listAccounts') }),
    z.strictObject({ action: z.literal('disableAccount'), staffId: docIdSchema, reason: adminReasonSchema }),
    /** A new code for an account not bound yet (the old one stops working). */
    z.strictObject({ action: z.literal('reissueInvitation'), staffId: docIdSchema }),
    /** Staff correct a person's community (district/city; a community worker may take in one without). */
    z.strictObject({ action: z.literal('setPersonCommunity'), personId: docIdSchema, communityId: docIdSchema, reason: adminReasonSchema }),
    /** What needs doing now, for the caller's role and scope. */
    z.strictObject({ action: z.literal('staffHome') }),
    /** The audit log, read only: the level above reads the levels below. */
    z.strictObject({
      action: z.literal('auditLog'),
      personName: personNameSchema.optional(),
      idNumber: idNumberInputSchema.optional(),
      staffId: docIdSchema.optional(),
      /** The acting staff account by its holder's name (the reader's own or an overseen account). */
      staffName: personNameSchema.optional(),
      entity: auditEntitySchema.optional(),
      from: isoDateSchema.optional(),
      to: isoDateSchema.optional(),
      limit: z.number().int().min(1).max(50).default(20),
      cursor: z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/).optional(),
    }),
  ]),
);
export type StaffAdminRequest = z.infer<typeof staffAdminRequestSchema>;
export type StaffAdminRequestInput = z.input<typeof staffAdminRequestSchema>;
export type StaffAdminAction = StaffAdminRequest['action'];

export const organisationSchema = lazySchema(() =>
  z.strictObject({
    orgId: docIdSchema,
    kind: orgKindSchema,
    name: z.string(),
    district: z.string().nullable(),
    township: z.string().nullable(),
  }),
);
export type Organisation = z.infer<typeof organisationSchema>;

export const staffAccountSchema = lazySchema(() =>
  z.strictObject({
    staffId: docIdSchema,
    name: z.string(),
    role: staffRoleSchema,
    orgId: z.string(),
    orgName: z.string(),
    status: z.enum(['invited', 'active', 'disabled']),
    createdAt: z.string().nullable(),
    /** While invited: when the code stops working. */
    invitationExpiresAt: z.string().nullable(),
  }),
);
export type StaffAccount = z.infer<typeof staffAccountSchema>;

/** A new account's (or a reissued) invitation: the code is shown once and never stored. */
export const invitationReplySchema = lazySchema(() => z.strictObject({ staffId: docIdSchema, code: z.string(), expiresAt: z.string() }));

export const homeEntrySchema = lazySchema(() =>
  z.discriminatedUnion('key', [
    z.strictObject({ key: z.literal('documents'), count: z.number().int(), more: z.boolean() }),
    z.strictObject({ key: z.literal('disputes'), count: z.number().int(), more: z.boolean() }),
    z.strictObject({ key: z.literal('cash'), summary: cashSummarySchema }),
    z.strictObject({ key: z.literal('accounts'), invited: z.number().int(), active: z.number().int(), disabled: z.number().int() }),
    z.strictObject({ key: z.literal('audit') }),
    /** Assisted-people lists (staffLists): the caller's imports with errors in the last 30 days; canImport for district, department, city. */
    z.strictObject({ key: z.literal('lists'), importsWithErrors: z.number().int(), canImport: z.boolean() }),
  ]),
);
export type HomeEntry = z.infer<typeof homeEntrySchema>;

export const staffHomeReplySchema = lazySchema(() =>
  z.strictObject({
    role: staffRoleSchema,
    name: z.string(),
    orgName: z.string(),
    district: z.string().nullable(),
    township: z.string().nullable(),
    entries: z.array(homeEntrySchema),
  }),
);
export type StaffHomeReply = z.infer<typeof staffHomeReplySchema>;

export const auditRowSchema = lazySchema(() =>
  z.strictObject({
    entryId: z.string(),
    at: z.string(),
    entity: z.string(),
    from: z.string().nullable(),
    to: z.string(),
    reason: z.string(),
    level: z.enum(['info', 'alert']),
    /** Who: a staff account's name and organisation, 居民 for residents, 系统 / 微信支付 for the platform. */
    actorKind: z.enum(['staff', 'resident', 'system']),
    actorLabel: z.string(),
    actorRole: staffRoleSchema.nullable(),
    /** To whom: the person's masked name and ID number (3+4), when the entry concerns one. */
    subject: z.strictObject({ name: z.string(), idMasked: z.string().nullable() }).nullable(),
  }),
);
export type AuditRow = z.infer<typeof auditRowSchema>;

export const staffAdminReplies = {
  bootstrap: z.strictObject({ staffId: docIdSchema, role: z.literal('city') }),
  bindInvitation: z.strictObject({ staffId: docIdSchema, role: staffRoleSchema, orgName: z.string() }),
  listOrganisations: z.strictObject({ items: z.array(organisationSchema), creatable: z.array(orgKindSchema) }),
  createOrganisation: organisationSchema,
  createAccount: invitationReplySchema,
  listAccounts: z.strictObject({ items: z.array(staffAccountSchema) }),
  disableAccount: z.strictObject({ staffId: docIdSchema, status: z.literal('disabled') }),
  reissueInvitation: invitationReplySchema,
  setPersonCommunity: z.strictObject({ personId: docIdSchema, communityId: docIdSchema, community: z.string() }),
  staffHome: staffHomeReplySchema,
  auditLog: z.strictObject({ items: z.array(auditRowSchema), nextCursor: z.string().nullable() }),
} satisfies Record<StaffAdminAction, z.ZodType>;

export type StaffAdminReply<A extends StaffAdminAction> = z.infer<(typeof staffAdminReplies)[A]>;

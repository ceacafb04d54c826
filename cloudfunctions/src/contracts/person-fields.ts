/**
 * The fields of a person and of their documents and authorizations that both the resident
 * contract and the staff contracts check (ID number, mobile, eligibility answers, document
 * kinds, …). Re-exported by ./resident, so the mini-program's imports are unchanged; a module
 * of its own so that a staff function evaluates these few schemas and not the whole resident
 * contract (~430 zod schemas, most of a staff function's cold start).
 * No Node imports: this file is bundled into the mini-program.
 */
import * as z from 'zod';
import { hukouSchema, personNameSchema, sexSchema } from './common';
import { lazySchema } from '../policy/lazy-schema';

/** 18-character mainland ID number; the checksum is verified on the server. */
export const idNumberInputSchema = lazySchema(() => z.string().trim().length(18).regex(/^[0-9]{17}[0-9Xx]$/));
export const mobileSchema = lazySchema(() => z.string().trim().regex(/^1[3-9][0-9]{9}$/));
export const addressSchema = lazySchema(() => z.string().trim().min(2).max(120));

/** The answers the policy engine needs about a person (all optional: unknown = not claimed). */
export const eligibilityAnswersSchema = lazySchema(() => z.strictObject({
  residencePermit: z.boolean().optional(),
  insuredAtOrigin: z.boolean().optional(),
  parentHasResidencePermit: z.boolean().optional(),
  student: z.boolean().optional(),
  childOfLocalInsuredWorker: z.boolean().optional(),
  foreignExpertFamily: z.boolean().optional(),
  foreignerResidencePermit: z.boolean().optional(),
  employeeInsured: z.boolean().optional(),
  enrolledElsewhere: z.boolean().optional(),
}));
export type EligibilityAnswers = z.infer<typeof eligibilityAnswersSchema>;

/**
 * The facts a person is registered with, wherever they are entered (verifySelf, addFamilyMember,
 * the cash desk's registerPerson): one shape, so the three forms cannot drift apart.
 */
export const personRegistrationFields = {
  name: personNameSchema,
  sex: sexSchema,
  idNumber: idNumberInputSchema,
  hukou: hukouSchema,
  address: addressSchema,
  mobile: mobileSchema,
  answers: lazySchema(() => eligibilityAnswersSchema.default({})),
};
export type PersonRegistration = z.infer<z.ZodObject<typeof personRegistrationFields>>;

export const documentKindSchema = lazySchema(() => z.enum(['id_card_front', 'id_card_back', 'hukou_page', 'residence_permit', 'birth_certificate']));
export type DocumentKind = z.infer<typeof documentKindSchema>;
export const uploadExtSchema = lazySchema(() => z.enum(['jpg', 'jpeg', 'png', 'pdf']));
/** fileID returned by the upload: cloud://<env>.<bucket>/documents/... */
export const fileIdSchema = lazySchema(() => z.string().min(10).max(512).regex(/^cloud:\/\/[A-Za-z0-9._-]+\/documents\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+\.(jpg|jpeg|png|pdf)$/));
export const subscribeTemplateSchema = lazySchema(() => z.enum(['payment_result', 'window_open', 'window_closing', 'dispute_result', 'document_result']));

/** How an account proved it is a person: 微信人脸核身, a staff-approved identity document, or the community desk. */
export const verificationMethodSchema = lazySchema(() => z.enum(['face', 'document', 'desk']));
export type VerificationMethod = z.infer<typeof verificationMethodSchema>;
/** On what an account may act for a person (family_links.basis). */
export const authorizationBasisSchema = lazySchema(() => z.enum(['self', 'guardian', 'adult_authorized', 'desk_authorized', 'unverified_claim', 'legacy']));
export type AuthorizationBasis = z.infer<typeof authorizationBasisSchema>;
export const authorizationStatusSchema = lazySchema(() => z.enum(['active', 'pending', 'disputed', 'revoked']));
export type AuthorizationStatus = z.infer<typeof authorizationStatusSchema>;
/** Invitation codes: random, URL-safe, stored only as a keyed hash. */
export const invitationCodeSchema = lazySchema(() => z.string().trim().min(10).max(64).regex(/^[A-Za-z0-9_-]+$/));
/** The opaque result WeChat's face verification hands the page (verify_result). */
export const verifyResultSchema = lazySchema(() => z.string().min(1).max(512));
/** Facts a person (or an authorized actor, or staff) may change; each change is kept in history. */
export const personFactFieldSchema = lazySchema(() => z.enum(['hukou', 'answers', 'mobile', 'address']));
export type PersonFactField = z.infer<typeof personFactFieldSchema>;

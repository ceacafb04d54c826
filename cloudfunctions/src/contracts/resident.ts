/**
 * Contract of the `resident` cloud function: every request (a discriminated union on
 * `action`) and the reply data of each action. The client parses replies with
 * `replyEnvelope(residentReplies[action])` from ./envelope.
 * No Node imports: this file is bundled into the mini-program.
 */
import * as z from 'zod';
import {
  benefitYearSchema,
  docIdSchema,
  fenSchema,
  hukouSchema,
  isoDateSchema,
  outTradeNoSchema,
  personNameSchema,
  quoteViewSchema,
  relationSchema,
  sexSchema,
} from './common';
import {
  addressSchema,
  authorizationBasisSchema,
  authorizationStatusSchema,
  documentKindSchema,
  eligibilityAnswersSchema,
  fileIdSchema,
  idNumberInputSchema,
  invitationCodeSchema,
  mobileSchema,
  personFactFieldSchema,
  personRegistrationFields,
  subscribeTemplateSchema,
  uploadExtSchema,
  verificationMethodSchema,
  verifyResultSchema,
} from './person-fields';
import { lazySchema } from '../policy/lazy-schema';

export * from './common';

/** Version of the privacy notice the resident must accept (its own module: ./consent-version). */
export { CONSENT_VERSION } from './consent-version';
export const consentVersionSchema = lazySchema(() => z.string().min(1).max(20).regex(/^[A-Za-z0-9._-]+$/));

// Shared with the staff contracts (./person-fields); re-exported for the mini-program.
export * from './person-fields';

// ---------------------------------------------------------------- requests

export const residentRequestSchema = lazySchema(() =>
  z.discriminatedUnion('action', [
    /** No personal data: may be called before consent. */
    z.strictObject({ action: z.literal('consentStatus') }),
    z.strictObject({ action: z.literal('acceptConsent'), version: consentVersionSchema, forChildUnder14: z.boolean().optional() }),
    z.strictObject({ action: z.literal('home'), benefitYear: benefitYearSchema.optional() }),
    z.strictObject({
      action: z.literal('addFamilyMember'),
      name: personNameSchema,
      sex: sexSchema,
      idNumber: idNumberInputSchema,
      relation: relationSchema,
      hukou: hukouSchema,
      address: addressSchema,
      mobile: mobileSchema,
      answers: eligibilityAnswersSchema.default({}),
      /** Required (true) when the person is under 14: the guardian consents for the child. */
      consentForChild: z.boolean().optional(),
      /** For a child under 18: the caller's relation (default: father or mother by the caller's verified sex). */
      parentRelation: z.enum(['father', 'mother', 'guardian']).optional(),
      /** The community (社区/村居) chosen from listCommunities: set on a record this registration creates. */
      communityId: docIdSchema.optional(),
    }),
    z.strictObject({ action: z.literal('updateAnswers'), personId: docIdSchema, answers: eligibilityAnswersSchema }),
    /** Whether the caller has proved which person they are. */
    z.strictObject({ action: z.literal('identityStatus') }),
    /** The caller proves they are this person with the result of 微信人脸核身 (or the local simulated sheet). */
    z.strictObject({
      action: z.literal('verifySelf'),
      ...personRegistrationFields,
      verifyResult: verifyResultSchema,
      /** The caller's community (社区/村居), chosen from listCommunities. */
      communityId: docIdSchema.optional(),
    }),
    /** An adult authorizes the caller from their own WeChat by accepting this invitation. */
    z.strictObject({ action: z.literal('createInvitation'), personId: docIdSchema }),
    z.strictObject({ action: z.literal('invitationInfo'), code: invitationCodeSchema }),
    z.strictObject({ action: z.literal('acceptInvitation'), code: invitationCodeSchema }),
    /** Who may act for the caller's own (verified) person. */
    z.strictObject({ action: z.literal('listAuthorizations'), personId: docIdSchema }),
    z.strictObject({ action: z.literal('revokeAuthorization'), linkId: docIdSchema }),
    z
      .strictObject({
        action: z.literal('updatePersonFacts'),
        personId: docIdSchema,
        hukou: hukouSchema.optional(),
        answers: eligibilityAnswersSchema.optional(),
        mobile: mobileSchema.optional(),
        address: addressSchema.optional(),
        /** The community (社区/村居), chosen from listCommunities. */
        communityId: docIdSchema.optional(),
      })
      .refine((e) => e.hukou !== undefined || e.answers !== undefined || e.mobile !== undefined || e.address !== undefined || e.communityId !== undefined, {
        message: 'at least one fact',
      }),
    z.strictObject({ action: z.literal('factHistory'), personId: docIdSchema }),
    /** Ends the caller's own authorization for the person; the person record stays. */
    z.strictObject({ action: z.literal('removeFamilyMember'), personId: docIdSchema }),
    z.strictObject({ action: z.literal('requestUpload'), personId: docIdSchema, kind: documentKindSchema, ext: uploadExtSchema }),
    z.strictObject({ action: z.literal('attachDocument'), personId: docIdSchema, kind: documentKindSchema, fileID: fileIdSchema }),
    z.strictObject({ action: z.literal('listDocuments'), personId: docIdSchema }),
    z.strictObject({
      action: z.literal('registerNewborn'),
      name: personNameSchema,
      sex: sexSchema,
      birthDate: isoDateSchema,
      /** 出生医学证明编号: one letter then 9 digits (or 10 digits in older certificates). */
      birthCertificateNo: z.string().trim().min(8).max(20).regex(/^[A-Za-z0-9]+$/),
      hukou: hukouSchema,
      /** The caller's relation to the child. */
      parentRelation: z.enum(['father', 'mother', 'guardian']),
      address: addressSchema.optional(),
      answers: eligibilityAnswersSchema.default({}),
      consentForChild: z.literal(true),
    }),
    z.strictObject({ action: z.literal('quoteNewborn'), personId: docIdSchema }),
    z.strictObject({ action: z.literal('quote'), personId: docIdSchema, benefitYear: benefitYearSchema }),
    z.strictObject({ action: z.literal('listRecords') }),
    z.strictObject({ action: z.literal('receipt'), outTradeNo: outTradeNoSchema }),
    z.strictObject({ action: z.literal('history'), personId: docIdSchema }),
    z.strictObject({ action: z.literal('subscribe'), templates: z.array(subscribeTemplateSchema).min(1).max(4) }),
    /** No personal data: may be called before consent. */
    z.strictObject({ action: z.literal('policyInfo') }),
    /** No personal data: a district's communities (社区/村居) to choose from at registration. */
    z.strictObject({ action: z.literal('listCommunities'), district: z.string().trim().min(2).max(10) }),
  ]),
);
export type ResidentRequest = z.infer<typeof residentRequestSchema>;
/** What the client sends (defaults not yet applied). */
export type ResidentRequestInput = z.input<typeof residentRequestSchema>;
export type ResidentAction = ResidentRequest['action'];
export type ResidentRequestOf<A extends ResidentAction> = Extract<ResidentRequest, { action: A }>;

// ---------------------------------------------------------------- replies

export const consentStatusSchema = lazySchema(() =>
  z.strictObject({
    accepted: z.boolean(),
    acceptedVersion: z.string().nullable(),
    currentVersion: z.string(),
    acceptedAt: z.string().nullable(),
  }),
);

export const benefitYearInfoSchema = lazySchema(() =>
  z.strictObject({
    benefitYear: benefitYearSchema,
    window: z.strictObject({ start: isoDateSchema, end: isoDateSchema }),
    benefitPeriod: z.strictObject({ start: isoDateSchema, end: isoDateSchema }),
    individualContributionFen: fenSchema,
  }),
);

export const personStatusSchema = lazySchema(() =>
  z.enum([
    'not_enrolled',
    'awaiting_payment',
    'paid_pending_sync',
    'enrolled',
    'assisted_covered',
    'not_eligible',
  ]),
);
export type PersonStatus = z.infer<typeof personStatusSchema>;

export const nextStepSchema = lazySchema(() =>
  z.strictObject({
    kind: z.enum(['pay', 'continue_payment', 'upload_document', 'reupload_document', 'wait_sync', 'none', 'contact_community']),
    /** Plain Chinese, e.g. 去缴费 / 重新上传 / 无需操作. */
    text: z.string(),
  }),
);

export const documentViewSchema = lazySchema(() =>
  z.strictObject({
    documentId: docIdSchema,
    kind: documentKindSchema,
    status: z.enum(['pending_review', 'approved', 'needs_resubmission']),
    /** Staff's reason when a new upload is needed (plain Chinese). */
    reason: z.string().nullable(),
    uploadedAt: z.string(),
  }),
);
export type DocumentView = z.infer<typeof documentViewSchema>;

export const homePersonSchema = lazySchema(() =>
  z.strictObject({
    personId: docIdSchema,
    name: z.string(),
    idMasked: z.string().nullable(),
    relation: relationSchema,
    newborn: z.boolean(),
    status: personStatusSchema,
    /** Plain Chinese label of the status, e.g. 已缴费，待同步. */
    statusText: z.string(),
    /** Engine amount for this year; null when not eligible or unknown. */
    payableFen: fenSchema.nullable(),
    /** For paid_pending_sync: the date by which it reaches the insurance system (two working days). */
    expectedBy: isoDateSchema.nullable(),
    /** For not_eligible: the engine's reasons in Chinese. */
    reasons: z.array(z.string()),
    /** Open order for awaiting_payment. */
    pendingOutTradeNo: outTradeNoSchema.nullable(),
    documents: z.array(documentViewSchema),
    nextStep: nextStepSchema,
    /** Whether the person has proved their identity (face, document or desk). */
    verified: z.boolean(),
    /** The caller's own authorization for this person: pending/disputed ones cannot pay yet; declined: staff decided against the caller's claim. */
    authorization: z.enum(['active', 'pending', 'disputed', 'declined']),
    /** Another authorized family member has a payment under way (never their order number). */
    familyPaying: z.strictObject({ since: z.string() }).nullable(),
    /** Paid in an earlier year, not yet this year: the card reads 待续缴, not 未参保 (absent: false). */
    renewal: z.boolean().optional(),
    /** For enrolled: the date the insurance system (医保信息平台) registered the person (absent: not known). */
    registeredOn: isoDateSchema.nullable().optional(),
    /** The insurance system refused the registration: why, and what to do (the payment stands). */
    syncRefusal: z.strictObject({ code: z.string(), reason: z.string(), whatToDo: z.string() }).nullable().optional(),
  }),
);
export type HomePerson = z.infer<typeof homePersonSchema>;

export const homeSchema = lazySchema(() =>
  z.strictObject({
    today: isoDateSchema,
    benefitYear: benefitYearSchema,
    years: z.array(benefitYearSchema),
    window: z.strictObject({ start: isoDateSchema, end: isoDateSchema, open: z.boolean(), daysLeft: z.number().int().min(0), opensInDays: z.number().int().min(0) }),
    persons: z.array(homePersonSchema),
    /** The caller's own verification: home asks unverified residents to 完成实名核验. */
    self: z.strictObject({ verified: z.boolean(), method: verificationMethodSchema.nullable() }),
  }),
);
export type Home = z.infer<typeof homeSchema>;

export const familyMemberSchema = lazySchema(() =>
  z.strictObject({
    personId: docIdSchema,
    name: z.string(),
    idMasked: z.string().nullable(),
    relation: relationSchema,
    district: z.string().nullable(),
    /** true: a new person record; false: an existing record was attached. */
    created: z.boolean(),
    /** Whether this person needs an identity document (new enrollee without earlier enrollment). */
    needsDocument: z.boolean(),
  }),
);
export type FamilyMember = z.infer<typeof familyMemberSchema>;

/** addFamilyMember / registerNewborn: the member plus where the caller's authorization stands and what to do next. */
export const addedMemberSchema = lazySchema(() =>
  familyMemberSchema.extend({
    authorization: z.enum(['active', 'pending', 'disputed']),
    /** upload_evidence: attach a 户口簿 page or birth certificate; invite: the adult accepts an invitation; wait_staff: staff decide. */
    next: z.enum(['none', 'upload_evidence', 'invite', 'wait_staff']),
  }),
);
export type AddedMember = z.infer<typeof addedMemberSchema>;

export const identityStatusSchema = lazySchema(() =>
  z.strictObject({
    verified: z.boolean(),
    method: verificationMethodSchema.nullable(),
    personId: docIdSchema.nullable(),
    name: z.string().nullable(),
    idMasked: z.string().nullable(),
    /** Whether the server is configured for face verification (the client also asks wx.checkIsSupportFacialRecognition). */
    faceAvailable: z.boolean(),
    /** The verified caller's own address and mobile, offered to fill a family member's form. */
    contact: z.strictObject({ address: z.string().nullable(), mobile: z.string().nullable() }).optional(),
  }),
);
export type IdentityStatus = z.infer<typeof identityStatusSchema>;

export const invitationSchema = lazySchema(() => z.strictObject({ code: invitationCodeSchema, path: z.string(), expiresAt: z.string() }));
export const invitationInfoSchema = lazySchema(() =>
  z.strictObject({
    /** Masked: first character + *. */
    personName: z.string(),
    /** The inviter's relation to the person. */
    relation: relationSchema,
    inviterName: z.string(),
    expiresAt: z.string(),
    status: z.enum(['open', 'accepted', 'expired']),
  }),
);
export const authorizationItemSchema = lazySchema(() =>
  z.strictObject({
    linkId: docIdSchema,
    /** Masked name of the actor's own verified person, or 微信用户. */
    actorLabel: z.string(),
    relation: relationSchema,
    basis: authorizationBasisSchema,
    status: authorizationStatusSchema,
    grantedAt: z.string().nullable(),
  }),
);
export type AuthorizationItem = z.infer<typeof authorizationItemSchema>;
export const factChangeSchema = lazySchema(() =>
  z.strictObject({
    field: personFactFieldSchema,
    /** Masked values: answers as 是/否, mobile 138****5678, address first 6 characters + …. */
    from: z.string(),
    to: z.string(),
    actorKind: z.enum(['self', 'family', 'staff']),
    at: z.string(),
  }),
);
export type FactChange = z.infer<typeof factChangeSchema>;

export const uploadTicketSchema = lazySchema(() => z.strictObject({ cloudPath: z.string(), maxBytes: z.number().int() }));
export const newbornYearSchema = lazySchema(() =>
  z.strictObject({
    benefitYear: benefitYearSchema,
    published: z.boolean(),
    selectable: z.boolean(),
    /** 未公布 when the year's policy is not published; otherwise a short label. */
    label: z.string(),
    quote: quoteViewSchema.nullable(),
  }),
);
export const quoteNewbornSchema = lazySchema(() => z.strictObject({ personId: docIdSchema, years: z.array(newbornYearSchema) }));

export const paymentRecordSchema = lazySchema(() =>
  z.strictObject({
    outTradeNo: outTradeNoSchema,
    transactionId: z.string(),
    paidAt: z.string(),
    totalFeeFen: fenSchema,
    items: z.array(
      z.strictObject({
        personId: docIdSchema,
        name: z.string(),
        idMasked: z.string().nullable(),
        benefitYear: benefitYearSchema,
        amountFen: fenSchema,
      }),
    ),
    /**
     * Money given back through WeChat Pay (issue 14): a double or late payment, an amount that did
     * not match, or a refund by staff. personId null: the whole payment.
     */
    refunds: z
      .array(
        z.strictObject({
          personId: docIdSchema.nullable(),
          benefitYear: benefitYearSchema.nullable(),
          amountFen: fenSchema,
          status: z.enum(['processing', 'succeeded', 'failed']),
          /** 已退款 / 退款处理中 / 退款未成功，工作人员正在处理 */
          statusText: z.string(),
          /** Why, in plain words (重复缴费, 支付金额与订单不符, …). */
          reason: z.string(),
        }),
      )
      .optional(),
  }),
);
export type PaymentRecord = z.infer<typeof paymentRecordSchema>;

export const historyEntrySchema = lazySchema(() =>
  z.strictObject({
    benefitYear: benefitYearSchema,
    status: personStatusSchema,
    statusText: z.string(),
    amountFen: fenSchema.nullable(),
    paidAt: z.string().nullable(),
    /** 已参保: the date 医保信息平台 registered the person; 医保登记未通过: the refusal's reason (absent: neither). */
    registeredOn: isoDateSchema.nullable().optional(),
    syncRefused: z.string().nullable().optional(),
  }),
);

export const policyInfoSchema = lazySchema(() =>
  z.strictObject({
    years: z.array(
      z.strictObject({
        benefitYear: benefitYearSchema,
        scheme: z.string(),
        window: z.strictObject({ start: isoDateSchema, end: isoDateSchema }),
        benefitPeriod: z.strictObject({ start: isoDateSchema, end: isoDateSchema }),
        individualContributionFen: fenSchema,
        assistance: z.array(z.strictObject({ category: z.string(), percent: z.number(), payableFen: fenSchema, text: z.string() })),
        contacts: z.array(z.strictObject({ district: z.string(), phones: z.array(z.string()) })),
        notes: z.array(z.string()),
      }),
    ),
  }),
);
export type PolicyInfo = z.infer<typeof policyInfoSchema>;

/** Reply data schema per action. */
export const residentReplies = {
  consentStatus: consentStatusSchema,
  acceptConsent: consentStatusSchema,
  home: homeSchema,
  addFamilyMember: addedMemberSchema,
  updateAnswers: lazySchema(() => z.strictObject({ personId: docIdSchema })),
  identityStatus: identityStatusSchema,
  verifySelf: familyMemberSchema,
  createInvitation: invitationSchema,
  invitationInfo: invitationInfoSchema,
  acceptInvitation: lazySchema(() => z.strictObject({ personId: docIdSchema })),
  listAuthorizations: lazySchema(() => z.strictObject({ items: z.array(authorizationItemSchema) })),
  revokeAuthorization: lazySchema(() => z.strictObject({ linkId: docIdSchema, status: z.literal('revoked') })),
  updatePersonFacts: lazySchema(() => z.strictObject({ personId: docIdSchema, changed: z.array(personFactFieldSchema) })),
  factHistory: lazySchema(() => z.strictObject({ entries: z.array(factChangeSchema) })),
  removeFamilyMember: lazySchema(() => z.strictObject({ personId: docIdSchema })),
  requestUpload: uploadTicketSchema,
  attachDocument: documentViewSchema,
  listDocuments: lazySchema(() => z.strictObject({ documents: z.array(documentViewSchema) })),
  registerNewborn: addedMemberSchema,
  quoteNewborn: quoteNewbornSchema,
  quote: quoteViewSchema,
  listRecords: lazySchema(() => z.strictObject({ records: z.array(paymentRecordSchema) })),
  receipt: paymentRecordSchema,
  history: lazySchema(() => z.strictObject({ personId: docIdSchema, name: z.string(), entries: z.array(historyEntrySchema) })),
  subscribe: lazySchema(() => z.strictObject({ templates: z.array(subscribeTemplateSchema) })),
  policyInfo: policyInfoSchema,
  listCommunities: lazySchema(() => z.strictObject({ items: z.array(z.strictObject({ communityId: docIdSchema, name: z.string(), township: z.string().nullable() })) })),
} satisfies Record<ResidentAction, z.ZodType>;

export type ResidentReply<A extends ResidentAction> = z.infer<(typeof residentReplies)[A]>;

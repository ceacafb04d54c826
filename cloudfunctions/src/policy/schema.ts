/**
 * The quote contract (zod 4). Strict objects: an unknown key is `invalid_input`. Types are
 * inferred from these schemas, never written twice.
 */
import * as z from 'zod';
import { isValidDate } from './dates';
import { lazySchema } from './lazy-schema';
import { ASSISTANCE_CODES, BASIS_CODES } from './types';

export const dateString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine(isValidDate, '日期不存在');

const flag = z.boolean().default(false);

export const assistanceCodeSchema = z.enum(ASSISTANCE_CODES);
export const basisSchema = z.enum(BASIS_CODES);

export const personSchema = z
  .strictObject({
    /** Optional when birthDate is given (a newborn without a number yet). */
    idNumber: z.string().min(1).max(32).optional(),
    /** Optional when idNumber is given; must agree with it. */
    birthDate: dateString.optional(),
    hukou: z.enum(['local', 'nonlocal', 'foreign']),
    /** Holds a Hefei 居住证. */
    residencePermit: flag,
    /** Insured in the place of origin (2021 二（三）). */
    insuredAtOrigin: flag,
    /** A parent holds a Hefei 居住证 (the person is that parent's child). */
    parentHasResidencePermit: flag,
    /** 在校学生. */
    student: flag,
    /** Minor child living with a person employed and insured in Hefei. */
    childOfLocalInsuredWorker: flag,
    /** Spouse or minor child living with a foreign expert working in Hefei. */
    foreignExpertFamily: flag,
    /** Foreigner with a Chinese 居留许可, living in Hefei and not employed (2023). */
    foreignerResidencePermit: flag,
    /** Already in employee insurance (职工医保). */
    employeeInsured: flag,
    /** Already enrolled in another city's resident insurance for the benefit year. */
    enrolledElsewhere: flag,
    assistance: z.array(assistanceCodeSchema).max(12).default([]),
  })
  .refine((p) => p.idNumber !== undefined || p.birthDate !== undefined, {
    message: '证件号码和出生日期至少填写一项',
    path: ['idNumber'],
  });

export const quoteInputSchema = z.strictObject({
  benefitYear: z.number().int().min(2000).max(2100),
  /** Calendar date in Asia/Shanghai of the enrollment (the functions convert the instant). */
  asOf: dateString,
  person: personSchema,
});

export type QuoteInput = z.input<typeof quoteInputSchema>;
export type ParsedQuoteInput = z.output<typeof quoteInputSchema>;

const range = z.strictObject({ start: dateString, end: dateString });
const fen = z.number().int().min(0);

export const reasonSchema = z.enum(['employee_insured', 'enrolled_elsewhere', 'no_basis', 'window_closed']);

// Lazy (./lazy-schema): only tests check results against it.
export const quoteResultSchema = lazySchema(() =>
  z.strictObject({
    benefitYear: z.number().int(),
    scheme: z.string().regex(/^\d{4}$/),
    eligible: z.boolean(),
    /** The clause the person qualifies under (reported even when an exclusion applies), or null. */
    basis: basisSchema.nullable(),
    reasons: z.array(reasonSchema),
    windowOpen: z.boolean(),
    /** True when the 2023 newborn rule (child born in the benefit year) applies on that date. */
    newborn: z.boolean(),
    /** The centralized collection window. */
    window: range,
    benefitPeriod: range,
    individualContributionFen: fen,
    /** Government subsidy per person; null when the scheme does not state it (2023). */
    governmentSubsidyFen: fen.nullable(),
    assistanceCategory: assistanceCodeSchema.nullable(),
    assistancePercent: z.number().int().min(0).max(100),
    assistanceFen: fen,
    /** null when not eligible. */
    payableFen: fen.nullable(),
    explanation: z.array(z.string()),
  }),
);

export type QuoteResult = z.infer<typeof quoteResultSchema>;
export type QuoteReason = z.infer<typeof reasonSchema>;

// Lazy (./lazy-schema): only tests check errors against it.
export const errorOutputSchema = lazySchema(() =>
  z.strictObject({
    error: z.strictObject({
      code: z.enum(['invalid_input', 'invalid_id_number', 'policy_not_loaded']),
      message: z.string(),
      field: z.string().optional(),
    }),
  }),
);

// ---------------------------------------------------------------------------------------------
// The policy table itself (types.ts `PolicyTable`), so a benefit year entered by the city centre
// is checked by the same engine that will quote it. The built-in tables pass it (test/policy).
// ---------------------------------------------------------------------------------------------

const text = (max: number) => z.string().trim().min(1).max(max);
const nullableText = (max: number) => z.string().trim().min(1).max(max).nullable();
const percent = z.number().int().min(0).max(100);
const ymd = dateString;

const assistanceRuleSchema = z.strictObject({ percent, label: text(60), clause: text(60) });
const clauseSchema = z.strictObject({ basis: basisSchema, clause: text(60), text: text(200), mandatory: z.boolean() });

// Lazy (./lazy-schema): ~400 schema nodes, needed only when a stored or entered table is checked.
export const policyTableSchema = lazySchema(() =>
  z
    .strictObject({
      /** The scheme (方案) year: the year the collection runs in, four digits. */
      scheme: z.string().regex(/^\d{4}$/, '方案年度应为四位数字'),
      benefitYear: z.number().int().min(2000).max(2100),
      document: z.strictObject({ title: text(120), docNumber: nullableText(60), issuer: text(200), issuedOn: ymd }),
      collectionWindow: z.strictObject({ start: ymd, end: ymd, clause: text(60) }),
      benefitPeriod: z.strictObject({ start: ymd, end: ymd, clause: text(60), interpreted: z.boolean() }),
      extendedCollection: z.strictObject({ enabled: z.boolean(), start: ymd.nullable(), end: ymd.nullable(), clause: nullableText(60) }),
      latePayment: z.strictObject({ enabled: z.boolean(), clause: nullableText(60) }),
      financing: z.strictObject({
        clause: text(60),
        totalPerPersonFen: fen.nullable(),
        governmentSubsidyFen: fen.nullable(),
        individualContributionFen: fen.max(1_000_000),
      }),
      assistance: z.strictObject({
        clause: text(60),
        combination: z.literal('most_favourable_single'),
        rounding: z.literal('assistance_ceil_fen'),
        rules: z.partialRecord(assistanceCodeSchema, assistanceRuleSchema),
        explicitlyNone: z.partialRecord(assistanceCodeSchema, z.strictObject({ label: text(60), text: text(200) })),
      }),
      eligibility: z.strictObject({
        clauses: z.array(clauseSchema).min(1).max(20),
        exclusionClause: text(60),
        exclusionText: text(200),
        residencePermitRequiresNotInsuredAtOrigin: z.boolean(),
        residencePermitChildChecksOwnOriginInsurance: z.boolean(),
        residencePermitRequiresNonlocalHukou: z.boolean(),
        workerChildRequiresNonlocalHukou: z.boolean(),
        foreignResidentClause: z.boolean(),
        foreignersOnlyUnderForeignClauses: z.boolean(),
        minorAgeLimit: z.number().int().min(14).max(25),
        otherCategories: z.array(text(60)).max(20),
      }),
      newbornRule: z
        .strictObject({
          clause: text(60),
          text: text(200),
          birthYearEnrollmentThrough: z.literal('end_of_birth_year'),
          benefitStartsAtBirth: z.boolean(),
          fullContribution: z.boolean(),
        })
        .nullable(),
      keyDates: z.strictObject({
        preparationBy: ymd,
        assistanceListsBy: ymd,
        assistanceAdditionsBy: ymd,
        assistanceFundTransferBy: ymd,
        monthlyListChangesBeforeDay: z.number().int().min(1).max(28),
        screening: z.strictObject({
          start: ymd,
          end: ymd,
          startAsWritten: text(40),
          startInterpreted: z.boolean(),
          compareWithPreviousYears: z.number().int().min(1).max(5),
          compareWithHukouPopulation: z.boolean(),
          focus: z.array(text(40)).max(10),
        }),
        monthlyReportByDay: z.number().int().min(1).max(28).nullable(),
        progressTableFrom: z.string().regex(/^\d{4}-\d{2}$/).nullable(),
        university: z.strictObject({
          clause: text(60),
          notice: text(200),
          registrationBy: ymd.nullable(),
          treasuryPaymentBy: ymd.nullable(),
          newStudentBenefitStart: z.literal('collection_or_payment_date').nullable(),
        }),
        cashRemittance: z.strictObject({ clause: text(60), withinDays: z.number().int().min(1).max(365), orWhenReachesFen: fen.min(1) }).nullable(),
        paymentVisibleAfterWorkingDays: z.number().int().min(0).max(30).nullable(),
      }),
      paymentChannels: z.array(text(60)).max(20),
      cityContacts: z.array(z.strictObject({ name: text(60), phone: text(20) })).max(20),
      districtContacts: z.array(z.strictObject({ district: text(20), medicalInsurancePhone: text(20), taxPhone: text(20) })).max(30),
      progressReference: z
        .array(
          z.strictObject({
            area: text(20),
            residentPopulationWan: z.number().min(0).max(10_000).nullable(),
            hukouPopulationWan: z.number().min(0).max(10_000).nullable(),
            enrolled2022Wan: z.number().min(0).max(10_000).nullable(),
          }),
        )
        .max(30),
      coverageTarget: z.strictObject({ percent, text: text(100) }),
    })
    .superRefine((t, ctx) => {
      // Cross-field rules a year's table must keep for the engine's answers to make sense.
      const bad = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
      const y = t.benefitYear;
      if (t.collectionWindow.start > t.collectionWindow.end) bad(['collectionWindow', 'end'], '集中参保缴费期的结束日期早于开始日期');
      if (t.benefitPeriod.start > t.benefitPeriod.end) bad(['benefitPeriod', 'end'], '待遇享受期的结束日期早于开始日期');
      if (Number(t.benefitPeriod.start.slice(0, 4)) !== y && Number(t.benefitPeriod.end.slice(0, 4)) !== y) bad(['benefitPeriod'], `待遇享受期应在${y}年内`);
      if (t.collectionWindow.start > t.benefitPeriod.end) bad(['collectionWindow', 'start'], '集中参保缴费期不能晚于待遇享受期');
      const s = t.keyDates.screening;
      if (s.start > s.end) bad(['keyDates', 'screening', 'end'], '排查阶段的结束日期早于开始日期');
      const x = t.extendedCollection;
      if (x.enabled && (x.start === null || x.end === null || x.start > x.end)) bad(['extendedCollection'], '启用延长参保期时须填写开始和结束日期');
      const f = t.financing;
      if (f.totalPerPersonFen !== null && f.governmentSubsidyFen !== null && f.totalPerPersonFen !== f.governmentSubsidyFen + f.individualContributionFen) {
        bad(['financing', 'totalPerPersonFen'], '筹资标准应等于财政补助与个人缴费之和');
      }
      if (Number(t.scheme) > y) bad(['scheme'], '方案年度不能晚于待遇年度');
      // The switch and the clause say the same thing (2023 scheme 二、参保对象, second paragraph): one without the other
      // would quote a foreigner by a clause the year does not have, or explain a refusal wrongly.
      const e = t.eligibility;
      if (e.foreignResidentClause !== e.clauses.some((c) => c.basis === 'foreign_resident')) {
        bad(['eligibility', 'foreignResidentClause'], '“获得居留许可的外国人”开关应与参保对象中的该条款一致');
      }
    }),
);

export type PolicyTableInput = z.input<typeof policyTableSchema>;
export type ParsedPolicyTable = z.output<typeof policyTableSchema>;

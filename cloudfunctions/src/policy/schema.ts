/**
 * The quote contract (zod 4). Strict objects: an unknown key is `invalid_input`. Types are
 * inferred from these schemas, never written twice.
 */
import { z } from 'zod';
import { isValidDate } from './dates';
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

export const quoteResultSchema = z.strictObject({
  benefitYear: z.number().int(),
  scheme: z.enum(['2021', '2023']),
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
});

export type QuoteResult = z.infer<typeof quoteResultSchema>;
export type QuoteReason = z.infer<typeof reasonSchema>;

export const errorOutputSchema = z.strictObject({
  error: z.strictObject({
    code: z.enum(['invalid_input', 'invalid_id_number', 'policy_not_loaded']),
    message: z.string(),
    field: z.string().optional(),
  }),
});

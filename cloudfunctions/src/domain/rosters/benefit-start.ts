/**
 * When a rostered student's benefits start (待遇享受起始日).
 *
 * 2021 scheme 五(四): "新入学大学生由高校统一代收代缴参保费用的，自代收费用之日起享受居民医保待遇；
 * 通过微信缴费的，从缴费之日起享受居民医保待遇" — the table says so with
 * keyDates.university.newStudentBenefitStart = 'collection_or_payment_date'. A year whose table
 * states no such rule (2023 scheme: deferred to 合医保发〔2023〕10号, null) and every student who is
 * not new start with the benefit period. [decision] A collection or payment date after the
 * benefit period's start (a late payer) does not move the start earlier than that date: the
 * later of the two is used, so a date never precedes the money.
 */
import { policyTable, yearFacts } from '../policy-port';

export type BenefitStartBasis = 'collection_date' | 'payment_date' | 'benefit_period';

export interface BenefitStart {
  date: string;
  basis: BenefitStartBasis;
}

export function newStudentRule(benefitYear: number): 'collection_or_payment_date' | null {
  return policyTable(benefitYear)?.keyDates?.university?.newStudentBenefitStart ?? null;
}

/**
 * The start for a student paid on `day` (Shanghai date): by the university's collection
 * (`collected`) or by their own payment (`paid`).
 */
export function benefitStartOf(benefitYear: number, newStudent: boolean, way: 'collected' | 'paid', day: string, asOf: string): BenefitStart {
  const period = yearFacts(benefitYear, asOf)?.benefitPeriod.start ?? `${benefitYear}-01-01`;
  if (newStudent && newStudentRule(benefitYear) === 'collection_or_payment_date' && day < period) {
    return { date: day, basis: way === 'collected' ? 'collection_date' : 'payment_date' };
  }
  return { date: day > period ? day : period, basis: day > period ? (way === 'collected' ? 'collection_date' : 'payment_date') : 'benefit_period' };
}

export const BASIS_TEXT: Readonly<Record<BenefitStartBasis, string>> = {
  collection_date: '自学校代收费用之日起享受待遇',
  payment_date: '自微信缴费之日起享受待遇',
  benefit_period: '自待遇享受期开始之日起享受待遇',
};

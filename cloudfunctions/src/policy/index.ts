/**
 * Public API of the policy engine. Pure TypeScript: safe for esbuild bundles (node16) and the
 * Taro front end. Only cli.ts uses Node modules.
 */
import { shanghaiDate } from './dates';
import { PolicyError } from './errors';
import { BUILT_IN_YEARS, findPolicyTable, listBenefitYears } from './tables';
import type { PolicyTable } from './types';

export { quote, benefitYearsForNewborn, assistanceAmountFen, chineseDate, yuan, ASSISTANCE_LABELS } from './quote';
export type { NewbornYearOption } from './quote';
export { quoteInputSchema, quoteResultSchema, errorOutputSchema, personSchema, assistanceCodeSchema, basisSchema, policyTableSchema } from './schema';
export type { QuoteInput, ParsedQuoteInput, QuoteResult, QuoteReason, PolicyTableInput, ParsedPolicyTable } from './schema';
export {
  parseIdNumber,
  maskIdNumber,
  normalizeIdNumber,
  isValidIdNumber,
  idCheckCharacter,
  HEFEI_DIVISIONS,
  FOREIGN_2004_CHECK_DIGIT_ENFORCED,
  FOREIGN_2004_CENTURY_PIVOT,
} from './id-number';
export type { ParsedIdNumber, IdNumberError, IdParseResult, IdKind, IdErrorReason } from './id-number';
export { shanghaiDate, ageOn, isValidDate } from './dates';
export { PolicyError, isPolicyError } from './errors';
export type { PolicyErrorCode } from './errors';
export { ASSISTANCE_CODES, BASIS_CODES } from './types';
export type { PolicyTable, AssistanceCode, BasisCode, AssistanceRule, EligibilityClause } from './types';
export { listBenefitYears, findPolicyTable, BUILT_IN_YEARS };

/** The table of a benefit year; throws PolicyError('policy_not_loaded') when none is published. */
export function getPolicyTable(benefitYear: number, published: readonly PolicyTable[] = []): PolicyTable {
  const t = findPolicyTable(benefitYear, published);
  if (!t) throw new PolicyError('policy_not_loaded', `${benefitYear}年度的居民医保参保政策尚未发布`, 'benefitYear');
  return t;
}

/** Today's Asia/Shanghai calendar date for an instant (default: now). */
export function todayInShanghai(now: Date = new Date()): string {
  return shanghaiDate(now);
}

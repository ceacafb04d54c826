/**
 * The one place the domain calls the policy engine (cloudfunctions/src/policy). Everything the
 * domain needs from it goes through here, so the engine's error codes become the resident's
 * Chinese messages once.
 */
import * as policy from '../policy';
import type { EligibilityAnswers, QuoteView } from '../contracts/resident';
import { AppError } from '../platform/errors';
import type { Deps } from './context';
import { effectiveVersions } from './policy-tables/store';

/**
 * The tables the city centre published (domain/policy-tables), in effect at this invocation's
 * clock. Loaded once per invocation (`loadPublishedPolicies`, from the function handler's
 * invocation hook) and passed to the engine with every call: the engine itself stays pure.
 * One invocation runs at a time in a function instance, so the module holds the current one's.
 */
let published: readonly policy.PolicyTable[] = [];

export async function loadPublishedPolicies(deps: Pick<Deps, 'db' | 'clock'>): Promise<void> {
  const rows = await effectiveVersions(deps, deps.clock.now());
  const tables: policy.PolicyTable[] = [];
  for (const row of rows) {
    // Saved only after this same check; a row that fails it now (a schema change since) is left
    // out rather than quoted wrongly: residents then see the year as not published.
    const parsed = policy.policyTableSchema.safeParse(row.table);
    if (parsed.success) tables.push(parsed.data as policy.PolicyTable);
    else console.error('[policy] published table no longer valid, ignored', row._id);
  }
  published = tables;
}

/** The published tables this invocation loaded (the built-in ones are not among them). */
export function loadedPublished(): readonly policy.PolicyTable[] {
  return published;
}

export const BUILT_IN_YEARS: readonly number[] = policy.BUILT_IN_YEARS;

/** A table as entered, checked by the engine's own schema: the table, or the first problem in words. */
export function checkPolicyTable(input: unknown): { ok: true; table: policy.PolicyTable } | { ok: false; field: string; message: string } {
  const r = policy.policyTableSchema.safeParse(input);
  if (r.success) return { ok: true, table: r.data as policy.PolicyTable };
  const issue = r.error.issues[0];
  const field = issue.path.map(String).join('.');
  const message = issue.code === 'unrecognized_keys' ? `有不认识的字段：${issue.keys.join('、')}` : issue.message;
  return { ok: false, field, message };
}

/** For tests and the preview: quote against a given set instead of the loaded one. */
export function withPublished<T>(tables: readonly policy.PolicyTable[], work: () => T): T {
  const saved = published;
  published = tables;
  try {
    return work();
  } finally {
    published = saved;
  }
}

export type Hukou = 'local' | 'nonlocal' | 'foreign';

export interface QuotePerson extends EligibilityAnswers {
  birthDate: string;
  hukou: Hukou;
  assistance: string[];
}

function policyError(err: unknown): { code: string; message: string; field?: string } | null {
  const e = err as { name?: string; code?: string; message?: string; field?: string };
  if (e && (e.name === 'PolicyError' || typeof e.code === 'string') && typeof e.message === 'string') {
    return { code: String(e.code), message: e.message, field: e.field };
  }
  return null;
}

export function listBenefitYears(): number[] {
  return [...(policy.listBenefitYears(published) as number[])].sort((a, b) => a - b);
}

export function isPublished(year: number): boolean {
  return listBenefitYears().includes(year);
}

/** The engine's quote, or null when the year has no published table. */
export function tryQuote(benefitYear: number, asOf: string, person: QuotePerson): QuoteView | null {
  try {
    return toView(policy.quote({ benefitYear, asOf, person: { ...person, assistance: knownAssistance(person.assistance) } } as any, published));
  } catch (err) {
    const pe = policyError(err);
    if (pe?.code === 'policy_not_loaded') return null;
    if (pe) throw new AppError(pe.code.toUpperCase(), pe.message);
    throw err;
  }
}

export function quoteOrThrow(benefitYear: number, asOf: string, person: QuotePerson): QuoteView {
  const q = tryQuote(benefitYear, asOf, person);
  if (!q) throw new AppError('YEAR_NOT_PUBLISHED', `${benefitYear}年度的参保政策尚未公布`, 'benefitYear');
  return q;
}

/** The engine's reason codes, in words a resident understands. */
export const REASON_TEXT: Record<string, string> = {
  employee_insured: '已参加职工医保，不需要再参加居民医保',
  enrolled_elsewhere: '已在其他城市参加本年度居民医保，不能重复参保',
  no_basis: '不属于合肥居民医保的参保范围（需本市户籍，或持合肥居住证等）',
  window_closed: '现在不在本年度缴费期内',
};

/** Only category codes the engine knows reach it (a list row with another code is ignored). */
export function knownAssistance(categories: string[]): string[] {
  const known = new Set<string>(policy.ASSISTANCE_CODES as readonly string[]);
  return categories.filter((c) => known.has(c));
}

function toView(q: any): QuoteView {
  return {
    benefitYear: q.benefitYear,
    scheme: String(q.scheme ?? ''),
    eligible: !!q.eligible,
    basis: q.basis == null ? null : String(q.basis),
    reasons: (q.reasons ?? []).map((r: unknown) => REASON_TEXT[String(r)] ?? String(r)),
    windowOpen: !!q.windowOpen,
    newborn: !!q.newborn,
    window: { start: q.window.start, end: q.window.end },
    benefitPeriod: { start: q.benefitPeriod.start, end: q.benefitPeriod.end },
    individualContributionFen: q.individualContributionFen,
    assistanceCategory: q.assistanceCategory ? ((policy.ASSISTANCE_LABELS as Record<string, string>)[q.assistanceCategory] ?? q.assistanceCategory) : null,
    assistancePercent: q.assistancePercent ?? 0,
    assistanceFen: q.assistanceFen ?? 0,
    payableFen: q.payableFen ?? null,
    explanation: (q.explanation ?? []).map(String),
  };
}

/** A neutral person, to read a year's window and contribution from the engine. */
const PROBE: QuotePerson = { birthDate: '1980-01-01', hukou: 'local', assistance: [] };

export interface YearFacts {
  benefitYear: number;
  scheme: string;
  window: { start: string; end: string };
  benefitPeriod: { start: string; end: string };
  individualContributionFen: number;
}

export function yearFacts(year: number, asOf: string): YearFacts | null {
  const q = tryQuote(year, asOf, PROBE);
  if (!q) return null;
  return { benefitYear: year, scheme: q.scheme, window: q.window, benefitPeriod: q.benefitPeriod, individualContributionFen: q.individualContributionFen };
}

/**
 * The current benefit year: the one whose collection window contains today, or else the next
 * one ahead; after the last window, the latest published year.
 */
export function currentBenefitYear(today: string): YearFacts {
  const facts = listBenefitYears()
    .map((y) => yearFacts(y, today))
    .filter((f): f is YearFacts => !!f);
  if (facts.length === 0) throw new AppError('POLICY_MISSING', '参保政策尚未公布，请稍后再试');
  return (
    facts.find((f) => today >= f.window.start && today <= f.window.end) ??
    facts.filter((f) => f.window.start > today).sort((a, b) => a.window.start.localeCompare(b.window.start))[0] ??
    facts[facts.length - 1]
  );
}

export interface ParsedId {
  birthDate: string;
  sex: 'male' | 'female';
  divisionCode: string;
  /** Hefei county/district name from the division code, or null. */
  district: string | null;
}

/** Validates with the engine (GB 11643 checksum, real date); INVALID_ID_NUMBER otherwise. */
export function parseId(idNumber: string): ParsedId {
  const bad = (message?: string) => new AppError('INVALID_ID_NUMBER', message || '身份证号码不正确，请核对后重新输入', 'idNumber');
  let parsed: any;
  try {
    parsed = policy.parseIdNumber(idNumber);
  } catch (err) {
    const pe = policyError(err);
    if (pe) throw bad(pe.message);
    throw err;
  }
  if (!parsed || parsed.valid === false || parsed.ok === false) throw bad(parsed?.message);
  const n = idNumber.trim().toUpperCase();
  // GB 11643 layout: division (6), birth date (8), sequence (3, odd = male), check.
  const birthDate = parsed.birthDate ?? `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}`;
  const sexRaw = parsed.sex ?? (Number(n[16]) % 2 === 1 ? 'male' : 'female');
  const sex = sexRaw === 'M' || sexRaw === 'male' || sexRaw === '男' ? 'male' : 'female';
  return { birthDate, sex, divisionCode: parsed.divisionCode ?? n.slice(0, 6), district: parsed.district ?? null };
}

export interface NewbornYear {
  benefitYear: number;
  published: boolean;
}

/** The benefit years a newborn may be enrolled for (2023 scheme: the current and/or the next). */
export function newbornYears(birthDate: string, asOf: string): NewbornYear[] {
  const raw = policy.benefitYearsForNewborn(birthDate, asOf, published) as unknown;
  const list: unknown[] = Array.isArray(raw) ? raw : ((raw as any)?.years ?? []);
  return list.map((item) => {
    if (typeof item === 'number') return { benefitYear: item, published: isPublished(item) };
    const o = item as any;
    const year = Number(o.benefitYear ?? o.year);
    return { benefitYear: year, published: typeof o.published === 'boolean' ? o.published : isPublished(year) };
  });
}

export function policyTable(year: number): any {
  try {
    return policy.getPolicyTable(year, published) as any;
  } catch {
    return null;
  }
}

/** Chinese names of the engine's assistance categories. */
export const ASSISTANCE_LABELS: Readonly<Record<string, string>> = policy.ASSISTANCE_LABELS;

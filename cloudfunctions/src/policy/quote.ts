/**
 * The policy engine: `quote(input)` decides, for a person, a benefit year and a date (Asia/Shanghai
 * calendar date), whether the person may enroll and on which clause, whether the window is open,
 * the benefit period, the contribution, the assistance and the amount payable, in fen.
 * Pure: no I/O, no clock (the caller passes `asOf`), no Node-only modules.
 */
import * as z from 'zod';
import { ageOn, inRange, laterOf, yearOf } from './dates';
import { PolicyError } from './errors';
import { parseIdNumber } from './id-number';
import { quoteInputSchema } from './schema';
import type { ParsedQuoteInput, QuoteInput, QuoteReason, QuoteResult } from './schema';
import { findPolicyTable } from './tables';
import type { AssistanceCode, BasisCode, EligibilityClause, PolicyTable } from './types';

/** Chinese names of every assistance code (for sentences about codes a year does not know). */
export const ASSISTANCE_LABELS: Record<AssistanceCode, string> = {
  tekun: '特困人员',
  orphan: '社会散居孤儿',
  unsupported_child: '事实无人抚养儿童',
  family_planning_parent: '计划生育特殊家庭父母',
  dibao: '低保对象',
  low_income_elderly: '低收入家庭老年人',
  dibao_edge_elderly: '低保边缘家庭老年人',
  fanpin: '返贫致贫人口',
  unstable_alleviated: '脱贫不稳定人口',
  rural_low_income_monitored: '纳入农村低收入人口监测范围的人口',
  fanpin_monitored: '防止返贫监测对象',
  stable_alleviated: '稳定脱贫人口（未纳入监测范围）',
};

type Person = ParsedQuoteInput['person'];

/** 'YYYY-MM-DD' → '2023年9月1日'. */
export function chineseDate(d: string): string {
  return `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
}

/** 38000 → '380.00元'. */
export function yuan(fenAmount: number): string {
  const neg = fenAmount < 0;
  const a = Math.abs(fenAmount);
  const s = `${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}元`;
  return neg ? '-' + s : s;
}

/** Assistance in fen: contribution × percent / 100 rounded UP to the fen (table field `assistance.rounding`). */
export function assistanceAmountFen(contributionFen: number, percent: number): number {
  const p = Math.max(0, Math.min(100, percent));
  return Math.floor((contributionFen * p + 99) / 100);
}

const TYPE_NAMES: Record<string, string> = { string: '文字', number: '数字', boolean: '是或否', object: '对象', array: '列表' };

/** The value at `path` of the input, or undefined where the path leaves it. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/**
 * One plain Chinese message for the first problem of a bad input (zod's own messages are
 * English): an unknown key, a missing field (absent from the input, whatever zod calls it), an
 * unknown category, a value of the wrong type or outside the allowed values.
 */
function zodMessage(err: z.ZodError, input: unknown): { message: string; field?: string } {
  const issue = err.issues[0];
  const path = issue.path.map(String).join('.');
  const where = path || '整体';
  let message: string;
  if (issue.code === 'unrecognized_keys') {
    message = `输入中有不认识的字段：${issue.keys.join('、')}`;
  } else if (path && valueAt(input, issue.path) === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
    message = `缺少必填字段：${path}`;
  } else if (issue.code === 'invalid_value' && issue.path[0] === 'person' && issue.path[1] === 'assistance') {
    message = '不认识的资助参保类别代码';
  } else if (issue.code === 'invalid_value') {
    message = `输入不正确（${where}）：应为 ${issue.values.map(String).join('、')} 之一`;
  } else if (issue.code === 'invalid_type') {
    message = `输入不正确（${where}）：应为${TYPE_NAMES[issue.expected] ?? issue.expected}`;
  } else {
    // A refinement of our own schema (its message is Chinese) or a bound (too long, too many).
    message = `输入不正确（${where}）：${/[\u4e00-\u9fa5]/.test(issue.message) ? issue.message : '超出允许的范围或格式'}`;
  }
  return path ? { message, field: path } : { message };
}

export function parseQuoteInput(input: unknown): ParsedQuoteInput {
  const r = quoteInputSchema.safeParse(input);
  if (!r.success) {
    const m = zodMessage(r.error, input);
    throw new PolicyError('invalid_input', m.message, m.field);
  }
  return r.data;
}

/** Resolve the birth date from the ID number and/or the given birth date; throws PolicyError. */
function resolveBirthDate(person: Person, asOf: string): { birthDate: string; district: string | null } {
  let fromId: string | null = null;
  let district: string | null = null;
  let twoDigitYear = false;
  if (person.idNumber !== undefined) {
    const id = parseIdNumber(person.idNumber);
    if (!id.ok) throw new PolicyError('invalid_id_number', id.message, 'person.idNumber');
    fromId = id.birthDate;
    district = id.district;
    twoDigitYear = id.kind === 'foreign_permanent_2004';
  }
  let birthDate: string;
  if (person.birthDate !== undefined) {
    if (fromId !== null) {
      const agrees = twoDigitYear
        ? person.birthDate.slice(2) === fromId.slice(2) // either century (FOREIGN_2004_CENTURY_PIVOT)
        : person.birthDate === fromId;
      if (!agrees) throw new PolicyError('invalid_input', '出生日期与证件号码中的出生日期不一致，请核对', 'person.birthDate');
    }
    birthDate = person.birthDate;
  } else {
    birthDate = fromId as string;
  }
  if (birthDate > asOf) {
    const field = person.birthDate !== undefined ? 'person.birthDate' : 'person.idNumber';
    const code = person.birthDate !== undefined ? 'invalid_input' : 'invalid_id_number';
    throw new PolicyError(code, '出生日期晚于办理日期，请核对', field);
  }
  return { birthDate, district };
}

/** Does `person` satisfy `clause` of `table` on a date where they are `age` years old? */
function matches(table: PolicyTable, clause: EligibilityClause, p: Person, age: number): boolean {
  const e = table.eligibility;
  const minor = age < e.minorAgeLimit;
  const citizen = p.hukou !== 'foreign' || !e.foreignersOnlyUnderForeignClauses;
  const nonlocalOk = (required: boolean) => !required || p.hukou === 'nonlocal';
  switch (clause.basis) {
    case 'local_hukou':
      return p.hukou === 'local';
    case 'student':
      return p.student && citizen;
    case 'residence_permit':
      return (
        p.residencePermit &&
        citizen &&
        nonlocalOk(e.residencePermitRequiresNonlocalHukou) &&
        (!e.residencePermitRequiresNotInsuredAtOrigin || !p.insuredAtOrigin)
      );
    case 'residence_permit_child':
      return (
        minor &&
        p.parentHasResidencePermit &&
        citizen &&
        nonlocalOk(e.residencePermitRequiresNonlocalHukou) &&
        (!(e.residencePermitRequiresNotInsuredAtOrigin && e.residencePermitChildChecksOwnOriginInsurance) || !p.insuredAtOrigin)
      );
    case 'child_of_local_insured_worker':
      return minor && p.childOfLocalInsuredWorker && citizen && nonlocalOk(e.workerChildRequiresNonlocalHukou);
    case 'foreign_expert_family':
      // The flag asserts the relationship (spouse, or minor child): the engine cannot tell a
      // spouse from a child, so it does not apply the age limit here; staff check the documents.
      return p.foreignExpertFamily;
    case 'foreign_resident':
      // The flag asserts: holds a 居留许可, lives in Hefei, not employed.
      return e.foreignResidentClause && p.hukou === 'foreign' && p.foreignerResidencePermit;
    default:
      return false;
  }
}

interface AssistanceDecision {
  category: AssistanceCode | null;
  percent: number;
  sentences: string[];
}

function decideAssistance(table: PolicyTable, codes: AssistanceCode[], contributionFen: number): AssistanceDecision {
  const a = table.assistance;
  const cite = `${table.document.title}${a.clause}`;
  const unique = codes.filter((c, i) => codes.indexOf(c) === i);
  const sentences: string[] = [];
  let best: AssistanceCode | null = null;
  let bestPercent = 0;
  // Ties go to the category listed first in the table (`assistance.combination`).
  const order = Object.keys(a.rules) as AssistanceCode[];
  for (const code of order) {
    if (unique.indexOf(code) < 0) continue;
    const rule = a.rules[code]!;
    if (rule.percent > bestPercent) {
      best = code;
      bestPercent = rule.percent;
    }
  }
  for (const code of unique) {
    const none = a.explicitlyNone[code];
    if (none) sentences.push(`依据${cite}，“${none.text}”。`);
    else if (!a.rules[code]) sentences.push(`${ASSISTANCE_LABELS[code]}不在${table.benefitYear}年度资助参保范围内（${cite}），该身份不享受资助。`);
  }
  if (best) {
    const rule = a.rules[best]!;
    const known = unique.filter((c) => a.rules[c] && a.rules[c]!.percent > 0);
    if (known.length > 1) {
      sentences.push(`您同时属于多类资助参保对象，按最有利的一类（${rule.label}）资助，资助不叠加。`);
    }
    const aid = assistanceAmountFen(contributionFen, rule.percent);
    if (rule.percent >= 100) {
      sentences.push(`依据${cite}，${rule.label}由医疗救助资金给予全额资助，个人无需缴费。`);
    } else {
      sentences.push(
        `依据${cite}，${rule.label}由医疗救助资金给予${rule.percent}%定额资助（${yuan(aid)}），个人负担${100 - rule.percent}%，即${yuan(contributionFen - aid)}。`,
      );
    }
  }
  return { category: best, percent: bestPercent, sentences };
}

/**
 * Quote for a person, a benefit year and an Asia/Shanghai calendar date, from the built-in tables
 * and the `published` ones (validated by policyTableSchema before they get here). Throws
 * PolicyError with code invalid_input, invalid_id_number or policy_not_loaded.
 */
export function quote(input: QuoteInput, published: readonly PolicyTable[] = []): QuoteResult {
  const { benefitYear, asOf, person } = parseQuoteInput(input);
  const table = findPolicyTable(benefitYear, published);
  if (!table) {
    throw new PolicyError('policy_not_loaded', `${benefitYear}年度的居民医保参保政策尚未发布，暂不能办理`, 'benefitYear');
  }
  const { birthDate } = resolveBirthDate(person, asOf);
  const title = table.document.title;
  const explanation: string[] = [];
  const reasons: QuoteReason[] = [];

  // --- 参保对象 ---------------------------------------------------------------------------
  const age = ageOn(birthDate, asOf);
  const clause = table.eligibility.clauses.find((c) => matches(table, c, person, age)) || null;
  const basis: BasisCode | null = clause ? clause.basis : null;
  if (clause) {
    const verb = clause.mandatory ? '应当参加' : '可以参加';
    let who = '';
    if (clause.basis === 'residence_permit_child') who = `您是持本市居住证人员的未成年子女（${age}周岁）`;
    else if (clause.basis === 'child_of_local_insured_worker') who = `您是随在本市就业参保人员共同生活的未成年子女（${age}周岁）`;
    else who = '您符合该条件';
    explanation.push(`依据${title}${clause.clause}，“${clause.text}”${verb}居民医保，${who}。`);
  } else {
    reasons.push('no_basis');
    const hints: string[] = [];
    const e = table.eligibility;
    if (e.residencePermitRequiresNotInsuredAtOrigin && person.insuredAtOrigin && (person.residencePermit || person.parentHasResidencePermit)) {
      hints.push('持本市居住证人员须在原籍未参加基本医疗保险，您已在原籍参保');
    }
    if ((person.parentHasResidencePermit || person.childOfLocalInsuredWorker) && age >= e.minorAgeLimit) {
      hints.push(`按未成年子女参保须未满${e.minorAgeLimit}周岁，您已满${age}周岁`);
    }
    if (person.hukou === 'foreign' && person.foreignerResidencePermit && !e.foreignResidentClause) {
      hints.push(`${table.scheme}年方案未将获得居留许可的外国人列为参保对象`);
    }
    explanation.push(
      `依据${title}二、参保对象，您不符合本年度居民医保的参保条件${hints.length ? '：' + hints.join('；') : ''}。`,
    );
  }

  // --- 不得重复参保 -------------------------------------------------------------------------
  const ex = `依据${title}${table.eligibility.exclusionClause}，“${table.eligibility.exclusionText}”`;
  if (person.employeeInsured) {
    reasons.push('employee_insured');
    explanation.push(`${ex}：您已参加职工医保，不能再参加居民医保。`);
  }
  if (person.enrolledElsewhere) {
    reasons.push('enrolled_elsewhere');
    explanation.push(`${ex}：您已在外市参加${benefitYear}年度居民医保，不能在合肥重复参保。`);
  }

  // --- 缴费期 / 新生儿 ----------------------------------------------------------------------
  const w = table.collectionWindow;
  const centralOpen = inRange(asOf, w.start, w.end);
  const x = table.extendedCollection;
  const extendedOpen = x.enabled && x.start !== null && x.end !== null && inRange(asOf, x.start, x.end);
  const rule = table.newbornRule;
  const bornInBenefitYear = yearOf(birthDate) === benefitYear;
  const newborn = !!rule && bornInBenefitYear && inRange(asOf, birthDate, `${benefitYear}-12-31`);
  const windowOpen = centralOpen || extendedOpen || newborn;
  const windowText = `${chineseDate(w.start)}至${chineseDate(w.end)}`;
  if (centralOpen) {
    explanation.push(`依据${title}${w.clause}，集中参保缴费期为${windowText}，${chineseDate(asOf)}在缴费期内。`);
  } else if (extendedOpen) {
    explanation.push(`${chineseDate(asOf)}在按国家和省有关规定执行的延长参保期内（${chineseDate(x.start!)}至${chineseDate(x.end!)}）。`);
  } else if (newborn) {
    explanation.push(
      `依据${title}${rule!.clause}，“${rule!.text}”：孩子出生于${chineseDate(birthDate)}，可在${benefitYear}年12月31日前参加${benefitYear}年度居民医保，不受集中参保缴费期（${windowText}）限制。`,
    );
  } else {
    reasons.push('window_closed');
    explanation.push(
      `依据${title}${w.clause}，集中参保缴费期为${windowText}，${chineseDate(asOf)}不在缴费期内，暂不能参保缴费。`,
    );
    if (bornInBenefitYear && !rule) {
      explanation.push(`${title}未规定新生儿在集中参保缴费期以外参加${benefitYear}年度居民医保。`);
    }
  }

  // --- 待遇享受期 ---------------------------------------------------------------------------
  // Nobody has benefits before birth: a person born inside the period starts on the birth date
  // ([interpretation] 7, recorded in the table as newbornRule.benefitStartsAtBirth), in every year:
  // a year without a newborn rule has the same answer for a child born after the period starts.
  const p = table.benefitPeriod;
  const benefitStart = laterOf(p.start, birthDate);
  const benefitPeriod = { start: benefitStart, end: p.end };
  if (p.interpreted) {
    explanation.push(
      `${title}未写明待遇享受期，本系统按${chineseDate(benefitPeriod.start)}至${chineseDate(benefitPeriod.end)}计算。`,
    );
  } else {
    explanation.push(`依据${title}${p.clause}，待遇享受期为${chineseDate(benefitPeriod.start)}至${chineseDate(benefitPeriod.end)}。`);
  }

  // --- 筹资标准 / 资助 ----------------------------------------------------------------------
  const f = table.financing;
  const contribution = f.individualContributionFen;
  if (f.governmentSubsidyFen !== null && f.totalPerPersonFen !== null) {
    explanation.push(
      `依据${title}${f.clause}，筹资标准为每人${yuan(f.totalPerPersonFen)}，其中各级政府财政补助每人${yuan(f.governmentSubsidyFen)}，居民个人缴费每人${yuan(contribution)}。`,
    );
  } else {
    explanation.push(
      `依据${title}${f.clause}，居民个人缴费标准为每人${yuan(contribution)}；财政补助标准按国家、省、市相关规定执行，方案未列明金额。`,
    );
  }
  const aid = decideAssistance(table, person.assistance, contribution);
  explanation.push(...aid.sentences);
  const assistanceFen = assistanceAmountFen(contribution, aid.percent);

  const eligible = reasons.length === 0;
  const payableFen = eligible ? contribution - assistanceFen : null;
  if (eligible) {
    explanation.push(
      payableFen === 0 ? '您本年度个人无需缴费，参保状态由医保部门同步维护。' : `您本次应缴纳${yuan(payableFen!)}。`,
    );
  } else {
    explanation.push('目前不能办理本年度居民医保参保缴费。');
  }

  return {
    benefitYear,
    scheme: table.scheme,
    eligible,
    basis,
    reasons,
    windowOpen,
    newborn,
    window: { start: w.start, end: w.end },
    benefitPeriod,
    individualContributionFen: contribution,
    governmentSubsidyFen: f.governmentSubsidyFen,
    assistanceCategory: aid.category,
    assistancePercent: aid.percent,
    assistanceFen,
    payableFen,
    explanation,
  };
}

export interface NewbornYearOption {
  benefitYear: number;
  /** A policy table for that year is published (loaded in the engine). */
  published: boolean;
  /** Whether enrollment for that year is open on `asOf`; null when the year's table is not published. */
  open: boolean | null;
  /** What opens it: the centralized window, the extended window, or the newborn rule. */
  via: 'collection_window' | 'extended_collection' | 'newborn_rule' | null;
}

/**
 * Benefit years a newborn can be enrolled for on `asOf` (2023 scheme 五（二）: "当年度及下一年度",
 * i.e. the birth year and the next year), and whether each year's table is published. The parents
 * choose among the open ones.
 */
export function benefitYearsForNewborn(birthDate: string, asOf: string, published: readonly PolicyTable[] = []): NewbornYearOption[] {
  const y = yearOf(birthDate);
  return [y, y + 1].map((benefitYear) => {
    const t = findPolicyTable(benefitYear, published);
    if (!t) return { benefitYear, published: false, open: null, via: null };
    if (asOf < birthDate) return { benefitYear, published: true, open: false, via: null };
    const x = t.extendedCollection;
    let via: NewbornYearOption['via'] = null;
    if (inRange(asOf, t.collectionWindow.start, t.collectionWindow.end)) via = 'collection_window';
    else if (x.enabled && x.start && x.end && inRange(asOf, x.start, x.end)) via = 'extended_collection';
    else if (t.newbornRule && y === benefitYear && inRange(asOf, birthDate, `${benefitYear}-12-31`)) via = 'newborn_rule';
    return { benefitYear, published: true, open: via !== null, via };
  });
}

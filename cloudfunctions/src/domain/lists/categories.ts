/**
 * 救助类别 as the departments write them, to the policy engine's assistance codes; which
 * department sends which categories; what a benefit year's table says about a category.
 */
import { ASSISTANCE_LABELS, policyTable } from '../policy-port';
import type { OrganisationDoc } from '../staff/organisations';

/**
 * Names seen on the departments' sheets for each code (after normaliseCategory). The engine's
 * own label is always accepted too.
 */
const SYNONYMS: Record<string, readonly string[]> = {
  tekun: ['特困', '特困人员', '特困供养人员', '特困供养', '农村特困', '城市特困', '分散供养特困人员', '集中供养特困人员'],
  orphan: ['孤儿', '社会散居孤儿', '散居孤儿'],
  unsupported_child: ['事实无人抚养儿童', '事实无人抚养'],
  family_planning_parent: ['计划生育特殊家庭父母', '计划生育特殊家庭', '计生特殊家庭', '计生特殊家庭父母', '失独家庭'],
  dibao: ['低保', '低保对象', '最低生活保障对象', '城市低保', '农村低保', '低保户'],
  low_income_elderly: ['低收入家庭老年人', '低收入老人'],
  dibao_edge_elderly: ['低保边缘家庭老年人', '低保边缘老年人', '低边老人'],
  fanpin: ['返贫致贫', '返贫致贫人口', '返贫人口', '致贫人口'],
  unstable_alleviated: ['脱贫不稳定人口', '脱贫不稳定户', '脱贫不稳定'],
  rural_low_income_monitored: ['纳入农村低收入人口监测范围的人口', '农村低收入人口监测对象', '农村低收入监测人口'],
  fanpin_monitored: ['防止返贫监测对象', '防返贫监测对象', '监测对象', '边缘易致贫人口', '突发严重困难户'],
  stable_alleviated: ['稳定脱贫人口', '稳定脱贫人口（未纳入监测范围）', '稳定脱贫'],
};

export function normaliseCategory(text: string): string {
  return text
    .replace(/[\s\u3000]+/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')');
}

const BY_NAME = new Map<string, string>();
for (const [code, names] of Object.entries(SYNONYMS)) {
  for (const n of [...names, ASSISTANCE_LABELS[code] ?? '']) if (n) BY_NAME.set(normaliseCategory(n), code);
}

/** The code for a sheet's 救助类别 (or the code itself), or null when unknown. */
export function categoryCode(text: string): string | null {
  const t = normaliseCategory(text);
  if (SYNONYMS[t]) return t;
  return BY_NAME.get(t) ?? null;
}

export function categoryLabel(code: string): string {
  return ASSISTANCE_LABELS[code] ?? code;
}

/**
 * Which department sends which lists (POLICY.md §4, 六、职责分工): civil affairs (民政) the
 * destitute, orphans, dibao and the low-income elderly; rural revitalization / agriculture
 * (乡村振兴, 农业农村) the poverty-alleviation groups; health (卫健) the special family-planning
 * families. [interpretation] A department is recognised by its name; one whose name matches
 * none may send no list (its rows are refused with CATEGORY_NOT_YOURS).
 */
const DEPARTMENT_CATEGORIES: Array<{ match: RegExp; codes: readonly string[] }> = [
  { match: /民政/, codes: ['tekun', 'orphan', 'unsupported_child', 'dibao', 'low_income_elderly', 'dibao_edge_elderly'] },
  { match: /乡村振兴|农业农村|扶贫/, codes: ['fanpin', 'unstable_alleviated', 'rural_low_income_monitored', 'fanpin_monitored', 'stable_alleviated'] },
  { match: /卫健|卫生健康|计生|计划生育/, codes: ['family_planning_parent'] },
];

/** The categories an organisation may send: a department its own; districts and the city all. */
export function mayImportCategory(org: Pick<OrganisationDoc, 'kind' | 'name'>, code: string): boolean {
  if (org.kind === 'city' || org.kind === 'district') return true;
  if (org.kind !== 'department') return false;
  return DEPARTMENT_CATEGORIES.some((d) => d.match.test(org.name) && d.codes.includes(code));
}

export interface YearRule {
  percent: number;
  label: string;
}

/**
 * What the benefit year's table gives the category: its rule, 'none' when the scheme names it as
 * getting no assistance (2021: 稳定脱贫人口), or 'unknown' when the year's scheme does not know it.
 */
export function yearRule(benefitYear: number, code: string): YearRule | 'none' | 'unknown' {
  const table = policyTable(benefitYear);
  const rule = table?.assistance?.rules?.[code];
  if (rule && typeof rule.percent === 'number') return { percent: rule.percent, label: String(rule.label ?? categoryLabel(code)) };
  if (table?.assistance?.explicitlyNone && code in table.assistance.explicitlyNone) return 'none';
  return 'unknown';
}

/** The individual contribution of the year (fen), or null when the year has no table. */
export function contributionFen(benefitYear: number): number | null {
  const v = policyTable(benefitYear)?.financing?.individualContributionFen;
  return typeof v === 'number' ? v : null;
}

/** What the person pays with this assistance: contribution − ceil(contribution × percent / 100), the engine's `assistance_ceil_fen`. */
export function payableWith(benefitYear: number, percent: number): number | null {
  const c = contributionFen(benefitYear);
  if (c === null) return null;
  return c - Math.ceil((c * percent) / 100);
}

/** The list deadlines of a benefit year's scheme (keyDates), or null. */
export function listDates(benefitYear: number): { initialBy: string; additionsBy: string; windowEnd: string; monthlyBeforeDay: number } | null {
  const t = policyTable(benefitYear);
  const k = t?.keyDates;
  if (!k?.assistanceListsBy || !k?.assistanceAdditionsBy) return null;
  return {
    initialBy: k.assistanceListsBy,
    additionsBy: k.assistanceAdditionsBy,
    windowEnd: t.collectionWindow?.end ?? k.assistanceAdditionsBy,
    monthlyBeforeDay: typeof k.monthlyListChangesBeforeDay === 'number' ? k.monthlyListChangesBeforeDay : 5,
  };
}

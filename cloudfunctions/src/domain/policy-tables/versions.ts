/**
 * Next year's policy without a release (issue 13). The city centre enters a benefit year's table,
 * checked by the engine's own schema; previews it on sample people beside last year's table;
 * publishes it from a chosen date (the policy port loads it from then on; before that residents
 * see the year as 未公布, as for any year without a table). The built-in years (2022, 2024) are
 * never replaced. A published version is edited in place only while no order was made under it;
 * afterwards a change is a correction: a new version with a reason, published from its own date,
 * while the orders already made keep the amounts they were quoted. Every change is audited.
 */
import type { PolicyPreview, PolicyVersionSummary, PreviewSample } from '../../contracts/staffPolicy';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { Acting, C, Deps } from '../context';
import { shanghaiDateOf } from '../dates';
import { ASSISTANCE_LABELS, BUILT_IN_YEARS, checkPolicyTable, listBenefitYears, loadedPublished, policyTable, tryQuote, withPublished, type QuotePerson } from '../policy-port';
import type { PolicyTable } from '../../policy';
import { requireStaff } from '../staff/scope';
import { allVersions, POLICY_TABLES, PolicyVersionDoc, versionId, versionsOfYear } from './store';

/** How a fictional year is marked, in the document title residents read in every explanation. */
export const FICTIONAL_MARK = '（虚构年度，仅供测试）';

const CITY = ['city'] as const;

const NOT_FOUND = () => new AppError('POLICY_NOT_FOUND', '未找到该版本的政策表', 'id');
const BUILT_IN = (y: number) => new AppError('POLICY_BUILT_IN', `${y}年度政策为系统内置，不能在此修改`, 'table.benefitYear');
const INVALID = (field: string, message: string) => new AppError('POLICY_TABLE_INVALID', `政策表有误（${field || '整体'}）：${message}`, field ? `table.${field}` : 'table');
const REASON_REQUIRED = () => new AppError('POLICY_REASON_REQUIRED', '该年度已有发布的版本：更正须填写原因', 'reason');
const LOCKED = () => new AppError('POLICY_LOCKED', '该版本已有缴费使用，不能修改；请新建更正版本并说明原因', 'id');
const NOT_DRAFT = () => new AppError('POLICY_NOT_DRAFT', '只能发布或删除草稿', 'id');
const NOT_PUBLISHED = () => new AppError('POLICY_NOT_PUBLISHED', '只能修改已发布的版本', 'id');
const SUPERSEDED = () => new AppError('POLICY_SUPERSEDED', '该版本已被更新的版本取代，不能修改', 'id');
const DATE_PAST = () => new AppError('POLICY_DATE_PAST', '生效日期不能早于今天', 'effectiveFrom');

/** 00:00 Asia/Shanghai of a calendar date, as stored (UTC ISO). */
const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();

function validTable(input: unknown, fictional: boolean): PolicyTable {
  // A built-in year is refused as such, before any detail of the table is looked at.
  const year = (input as { benefitYear?: unknown } | null)?.benefitYear;
  if (typeof year === 'number' && BUILT_IN_YEARS.includes(year)) throw BUILT_IN(year);
  const r = checkPolicyTable(input);
  if (!r.ok) throw INVALID(r.field, r.message);
  const table = r.table;
  if (BUILT_IN_YEARS.includes(table.benefitYear)) throw BUILT_IN(table.benefitYear);
  if (fictional && !table.document.title.includes('虚构年度')) {
    table.document = { ...table.document, title: table.document.title.replace(/》$/, `${FICTIONAL_MARK}》`) };
    if (!table.document.title.includes('虚构年度')) table.document.title += FICTIONAL_MARK;
  }
  return table;
}

/**
 * Orders made under a published version: created from its date until the next version's date
 * (pending or paid; a closed order took no money). Any such order locks the version.
 */
async function ordersUnder(deps: Pick<Deps, 'db'>, v: PolicyVersionDoc, next: PolicyVersionDoc | undefined): Promise<number> {
  if (v.status !== 'published' || !v.effectiveFrom) return 0;
  const _ = deps.db.cmd;
  const createdAt = next?.effectiveFrom ? _.gte(v.effectiveFrom).and(_.lt(next.effectiveFrom)) : _.gte(v.effectiveFrom);
  return deps.db.count(C.orders, { 'items.benefitYear': v.benefitYear, status: _.in(['pending', 'paid']), createdAt });
}

/** The published version after `v` of the same year (by version number), if any. */
function nextPublished(all: PolicyVersionDoc[], v: PolicyVersionDoc): PolicyVersionDoc | undefined {
  return all
    .filter((o) => o.benefitYear === v.benefitYear && o.status === 'published' && o.version > v.version)
    .sort((a, b) => a.version - b.version)[0];
}

async function summarize(deps: Pick<Deps, 'db' | 'clock'>, v: PolicyVersionDoc, all: PolicyVersionDoc[]): Promise<PolicyVersionSummary> {
  const table = v.table as unknown as PolicyTable;
  const now = deps.clock.now().toISOString();
  const next = nextPublished(all, v);
  const inEffect = v.status === 'published' && !!v.effectiveFrom && v.effectiveFrom <= now && !(next?.effectiveFrom && next.effectiveFrom <= now);
  return {
    id: v._id,
    benefitYear: v.benefitYear,
    version: v.version,
    status: v.status,
    title: table.document.title,
    fictional: v.fictional,
    effectiveFrom: v.effectiveFromDate,
    inEffect,
    locked: (await ordersUnder(deps, v, next)) > 0,
    reason: v.reason,
    individualContributionFen: table.financing.individualContributionFen,
    window: { start: table.collectionWindow.start, end: table.collectionWindow.end },
    createdAt: v.createdAt,
    publishedAt: v.publishedAt,
  };
}

async function getVersion(deps: Pick<Deps, 'db'>, id: string): Promise<PolicyVersionDoc> {
  const v = await deps.db.get<PolicyVersionDoc>(POLICY_TABLES, id);
  if (!v) throw NOT_FOUND();
  return v;
}

const categories = () => Object.entries(ASSISTANCE_LABELS).map(([code, label]) => ({ code, label }));

export async function listVersions(deps: Acting) {
  await requireStaff(deps, CITY);
  const all = await allVersions(deps);
  return { builtInYears: [...BUILT_IN_YEARS], items: await Promise.all(all.map((v) => summarize(deps, v, all))) };
}

export async function getVersionTable(deps: Acting, id: string) {
  await requireStaff(deps, CITY);
  const v = await getVersion(deps, id);
  const all = await versionsOfYear(deps, v.benefitYear);
  return { version: await summarize(deps, v, all), table: v.table, categories: categories() };
}

// ------------------------------------------------------------------------------------ template

function shiftYear(s: string, delta: number): string {
  const y = Number(s.slice(0, 4)) + delta;
  let rest = s.slice(4);
  // 29 February moved to a common year becomes the 28th.
  if (rest === '-02-29' && !((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)) rest = '-02-28';
  return `${y}${rest}`;
}

/** Every calendar date (and year-month) in the table moved by `delta` years. */
function shiftDates<T>(value: T, delta: number): T {
  if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value) || /^\d{4}-\d{2}$/.test(value)) return shiftYear(value, delta) as unknown as T;
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => shiftDates(v, delta)) as unknown as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = shiftDates(v, delta);
    return out as T;
  }
  return value;
}

/** The latest year before `benefitYear` with a table (built in or published), or null. */
function previousYear(benefitYear: number): number | null {
  const earlier = listBenefitYears().filter((y) => y < benefitYear);
  return earlier.length ? earlier[earlier.length - 1] : null;
}

export async function template(deps: Acting, benefitYear: number) {
  await requireStaff(deps, CITY);
  const base = previousYear(benefitYear) ?? listBenefitYears()[0];
  const table = policyTable(base) as PolicyTable;
  const delta = benefitYear - base;
  const shifted = shiftDates(JSON.parse(JSON.stringify(table)) as PolicyTable, delta);
  const scheme = String(Number(table.scheme) + delta);
  shifted.scheme = scheme;
  shifted.benefitYear = benefitYear;
  // The new scheme is a new document: its title names its own year, its number is not known yet.
  shifted.document = { ...shifted.document, title: table.document.title.replace(table.scheme, scheme), docNumber: null };
  return { basedOn: base, table: shifted as unknown as Record<string, unknown>, categories: categories() };
}

// ------------------------------------------------------------------------------- save and edit

export async function saveDraft(deps: Acting, input: { table: Record<string, unknown>; reason?: string; fictional: boolean }) {
  const staff = await requireStaff(deps, CITY);
  const table = validTable(input.table, input.fictional);
  const year = table.benefitYear;
  const versions = await versionsOfYear(deps, year);
  const hasPublished = versions.some((v) => v.status === 'published');
  if (hasPublished && !input.reason) throw REASON_REQUIRED();
  const now = deps.clock.now().toISOString();
  const draft = versions.find((v) => v.status === 'draft');
  let doc: PolicyVersionDoc;
  if (draft) {
    doc = { ...draft, table: table as unknown as Record<string, unknown>, fictional: input.fictional, reason: input.reason ?? draft.reason, updatedAt: now };
    await deps.db.set(POLICY_TABLES, draft._id, withoutId(doc));
  } else {
    const version = (versions[0]?.version ?? 0) + 1;
    doc = {
      _id: versionId(year, version),
      benefitYear: year,
      version,
      status: 'draft',
      table: table as unknown as Record<string, unknown>,
      fictional: input.fictional,
      reason: input.reason ?? null,
      effectiveFrom: null,
      effectiveFromDate: null,
      createdBy: staff._id,
      createdAt: now,
      updatedAt: now,
      publishedBy: null,
      publishedAt: null,
    };
    // The unique index (benefitYear, version) turns two city staff saving at once into one winner.
    await deps.db.insert(POLICY_TABLES, doc);
  }
  await appendAudit(deps, {
    entity: 'policy_table',
    entityId: doc._id,
    from: draft ? 'draft' : null,
    to: 'draft',
    actor: deps.caller.openid,
    reason: hasPublished ? `correction draft: ${input.reason}` : `draft saved${input.fictional ? ' (fictional year)' : ''}`,
  });
  return { version: await summarize(deps, doc, [...versions, doc]) };
}

function withoutId(doc: PolicyVersionDoc): Omit<PolicyVersionDoc, '_id'> {
  const { _id: _unused, ...rest } = doc;
  return rest;
}

export async function editPublished(deps: Acting, id: string, input: Record<string, unknown>, reason: string) {
  await requireStaff(deps, CITY);
  const v = await getVersion(deps, id);
  if (v.status !== 'published') throw NOT_PUBLISHED();
  const table = validTable(input, v.fictional);
  if (table.benefitYear !== v.benefitYear) throw INVALID('benefitYear', '不能修改已发布版本的年度');
  const all = await versionsOfYear(deps, v.benefitYear);
  if (nextPublished(all, v)) throw SUPERSEDED();
  if ((await ordersUnder(deps, v, undefined)) > 0) throw LOCKED();
  const now = deps.clock.now().toISOString();
  const doc: PolicyVersionDoc = { ...v, table: table as unknown as Record<string, unknown>, reason, updatedAt: now };
  await deps.db.set(POLICY_TABLES, v._id, withoutId(doc));
  await appendAudit(deps, { entity: 'policy_table', entityId: v._id, from: 'published', to: 'published', actor: deps.caller.openid, reason: `published version edited before any payment: ${reason}` });
  return { version: await summarize(deps, doc, all.map((o) => (o._id === doc._id ? doc : o))) };
}

export async function publish(deps: Acting, id: string, effectiveFrom: string) {
  const staff = await requireStaff(deps, CITY);
  const v = await getVersion(deps, id);
  if (v.status !== 'draft') throw NOT_DRAFT();
  if (effectiveFrom < shanghaiDateOf(deps.clock.now())) throw DATE_PAST();
  // Checked again: the schema may have changed since the draft was saved.
  validTable(v.table, v.fictional);
  const now = deps.clock.now().toISOString();
  const doc: PolicyVersionDoc = { ...v, status: 'published', effectiveFrom: dayStart(effectiveFrom), effectiveFromDate: effectiveFrom, publishedBy: staff._id, publishedAt: now, updatedAt: now };
  await deps.db.set(POLICY_TABLES, v._id, withoutId(doc));
  await appendAudit(deps, {
    entity: 'policy_table',
    entityId: v._id,
    from: 'draft',
    to: 'published',
    actor: deps.caller.openid,
    reason: `published from ${effectiveFrom}${v.version > 1 ? `; correction: ${v.reason}` : ''}${v.fictional ? ' (fictional year)' : ''}`,
  });
  const all = await versionsOfYear(deps, v.benefitYear);
  return { version: await summarize(deps, doc, all.map((o) => (o._id === doc._id ? doc : o))) };
}

export async function discardDraft(deps: Acting, id: string) {
  await requireStaff(deps, CITY);
  const v = await getVersion(deps, id);
  if (v.status !== 'draft') throw NOT_DRAFT();
  await deps.db.remove(POLICY_TABLES, id);
  await appendAudit(deps, { entity: 'policy_table', entityId: id, from: 'draft', to: 'discarded', actor: deps.caller.openid, reason: 'draft discarded' });
  return { discarded: id };
}

// ------------------------------------------------------------------------------------- preview

/** People the city centre usually looks at when a year's money or categories change. */
export function defaultSamples(benefitYear: number): PreviewSample[] {
  const born = (age: number, md = '05-01') => `${benefitYear - 1 - age}-${md}`;
  return [
    { label: '本市户籍成年人', birthDate: born(40), hukou: 'local' },
    { label: '60岁以上老人', birthDate: born(68, '03-01'), hukou: 'local' },
    { label: '在校学生（外地户籍）', birthDate: born(19, '09-01'), hukou: 'nonlocal', student: true },
    { label: '持居住证人员', birthDate: born(33), hukou: 'nonlocal', residencePermit: true },
    { label: '已参加职工医保', birthDate: born(45), hukou: 'local', employeeInsured: true },
    { label: '特困人员', birthDate: born(70), hukou: 'local', assistance: ['tekun'] },
    { label: '低保对象', birthDate: born(52), hukou: 'local', assistance: ['dibao'] },
    { label: '计划生育特殊家庭父母', birthDate: born(62), hukou: 'local', assistance: ['family_planning_parent'] },
    { label: '返贫致贫人口', birthDate: born(48), hukou: 'local', assistance: ['fanpin'] },
    { label: '防止返贫监测对象', birthDate: born(39), hukou: 'local', assistance: ['fanpin_monitored'] },
    { label: '脱贫不稳定人口', birthDate: born(44), hukou: 'local', assistance: ['unstable_alleviated'] },
  ];
}

function samplePerson(s: PreviewSample): QuotePerson {
  return {
    birthDate: s.birthDate,
    hukou: s.hukou,
    residencePermit: !!s.residencePermit,
    student: !!s.student,
    employeeInsured: !!s.employeeInsured,
    assistance: s.assistance ?? [],
  } as QuotePerson;
}

type PreviewQuote = PolicyPreview['rows'][number]['next'];

function previewQuote(tables: readonly PolicyTable[], year: number, asOf: string, s: PreviewSample): PreviewQuote | null {
  const q = withPublished(tables, () => tryQuote(year, asOf, samplePerson(s)));
  if (!q) return null;
  return {
    eligible: q.eligible,
    payableFen: q.payableFen,
    individualContributionFen: q.individualContributionFen,
    assistancePercent: q.assistancePercent,
    windowOpen: q.windowOpen,
    reasons: q.reasons,
  };
}

const yuanText = (fen: number | null) => (fen === null ? '未列明' : `${(fen / 100).toFixed(2)}元`);
const rangeText = (r: { start: string | null; end: string | null } | null) => (r && r.start && r.end ? `${r.start} 至 ${r.end}` : '无');

/** The fields a year's change usually touches, in words, with last year's and this year's values. */
function fieldDiffs(last: PolicyTable, next: PolicyTable): PolicyPreview['fields'] {
  const rows: Array<[string, string, (t: PolicyTable) => string]> = [
    ['financing.individualContributionFen', '个人缴费标准', (t) => yuanText(t.financing.individualContributionFen)],
    ['financing.governmentSubsidyFen', '财政补助', (t) => yuanText(t.financing.governmentSubsidyFen)],
    ['financing.totalPerPersonFen', '筹资标准', (t) => yuanText(t.financing.totalPerPersonFen)],
    ['collectionWindow', '集中参保缴费期', (t) => rangeText(t.collectionWindow)],
    ['benefitPeriod', '待遇享受期', (t) => rangeText(t.benefitPeriod)],
    ['extendedCollection', '延长参保期', (t) => (t.extendedCollection.enabled ? rangeText(t.extendedCollection) : '未开放')],
    ['newbornRule', '新生儿参保规则', (t) => (t.newbornRule ? t.newbornRule.text : '无')],
    ['keyDates.screening', '排查阶段', (t) => `${rangeText(t.keyDates.screening)}，比对前${t.keyDates.screening.compareWithPreviousYears}个年度`],
    ['eligibility.minorAgeLimit', '未成年人年龄上限', (t) => `${t.eligibility.minorAgeLimit}周岁`],
    ['coverageTarget', '参保率目标', (t) => `${t.coverageTarget.percent}%`],
  ];
  const codes = new Set<string>([...Object.keys(last.assistance.rules), ...Object.keys(next.assistance.rules)]);
  for (const code of codes) {
    const label = ASSISTANCE_LABELS[code] ?? code;
    rows.push([`assistance.rules.${code}`, `资助参保：${label}`, (t) => {
      const r = (t.assistance.rules as Record<string, { percent: number } | undefined>)[code];
      return r ? (r.percent >= 100 ? '全额资助' : `资助${r.percent}%`) : '不资助';
    }]);
  }
  return rows
    .map(([field, label, show]) => ({ field, label, last: show(last), next: show(next) }))
    .filter((d) => d.last !== d.next);
}

const QUOTE_FIELDS: Array<keyof PreviewQuote> = ['eligible', 'payableFen', 'individualContributionFen', 'assistancePercent', 'windowOpen', 'reasons'];

export async function preview(deps: Acting, input: { table: Record<string, unknown>; samples?: PreviewSample[] }): Promise<PolicyPreview> {
  await requireStaff(deps, CITY);
  const next = validTable(input.table, false);
  const year = next.benefitYear;
  const others = loadedPublished().filter((t) => t.benefitYear !== year);
  const withNext = [...others, next];
  const lastYear = previousYear(year);
  const last = lastYear === null ? null : (policyTable(lastYear) as PolicyTable);
  const samples = input.samples?.length ? input.samples : defaultSamples(year);
  const rows = samples.map((s) => {
    const n = previewQuote(withNext, year, next.collectionWindow.start, s);
    const l = last ? previewQuote(loadedPublished(), last.benefitYear, last.collectionWindow.start, s) : null;
    if (!n) throw INVALID('benefitYear', '无法按该政策表计算');
    const changed = l ? QUOTE_FIELDS.filter((k) => JSON.stringify(n[k]) !== JSON.stringify(l[k])) : [];
    return { label: s.label, next: n, last: l, changed: changed as string[] };
  });
  return { benefitYear: year, comparedWith: last?.benefitYear ?? null, rows, fields: last ? fieldDiffs(last, next) : [] };
}

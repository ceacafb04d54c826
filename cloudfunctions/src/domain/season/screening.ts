/**
 * Screening the unenrolled (排查, issue 13). A run for a benefit year walks the imported household
 * register (register-import.ts) 100 persons a step, in ID-hash order, and looks each page up by id
 * in the progress marks (counters.ts: one mark per person and year enrolled) for this year and
 * the previous ones the scheme compares with (2023 scheme: two; 2021: one), and in the year's
 * assistance lists. Each person not enrolled this year becomes (or stays) an entry of the year's
 * list (screening-entries.ts), flagged; a person enrolled since leaves it. The run ends by marking
 * entries no longer found as `gone`. A job on the jobs framework: a killed run resumes at its
 * cursor, and a step repeated after a crash writes the same entries again.
 *
 * Staff work the list: the city centre every district, a district office its own, a community
 * worker its community (by name within the district, as the register names it).
 */
import type { ScreeningEntryView, ScreeningSummary } from '../../contracts/staffSeason';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import type { UserDoc } from '../consent/consent';
import { Acting, C, Deps } from '../context';
import { shanghaiDateOf } from '../dates';
import { statusOf, type FamilyLinkDoc } from '../family/family';
import { saveExport } from '../files/export';
import { decryptText } from '../identity/id-protection';
import { advanceJob, defineJobKind, jobForStaff, jobView, startJob, type JobDoc } from '../jobs/jobs';
import { currentBenefitYear, policyTable } from '../policy-port';
import { reminderMessage } from '../reminders/window-reminders';
import type { PolicyTable } from '../../policy';
import { requireStaff, type Staff } from '../staff/scope';
import { PROGRESS_MARKS, type MarkDoc } from './counters';
import { HUKOU_REGISTER } from './register';
import type { RegisterDoc } from './register-import';
import { entryId, OPEN_OUTCOMES, SCREENING_ENTRIES, SCREENING_RUNS, type ScreeningEntryDoc, type ScreeningFlags, type VisitOutcome } from './screening-entries';

export const SCREENING_RUN = 'screening_run';
const ADVANCE_MS = 4_000;
const PAGE = 100;

/** [interpretation] 60岁以上: 60 or older in the collection year (the year before the benefit year). */
export const OVER_AGE = 60;
/** [interpretation] 各类学生 by age: 6 (primary school) to 22 (university) in the collection year. */
export const STUDENT_AGE = { from: 6, to: 22 } as const;

export const OUTCOME_TEXT: Record<VisitOutcome, string> = {
  enrolled_elsewhere: '已在外地参保',
  employee_insurance: '已参加职工医保',
  moved_away: '已迁出或不在本地居住',
  refused: '拒绝参保',
  will_pay: '承诺缴费',
};
const FLAG_TEXT: Record<keyof ScreeningFlags, string> = { lapsed: '前两年参保今年未参保', over60: '60岁以上', studentAge: '学生年龄段', assisted: '资助参保对象' };

interface Input {
  benefitYear: number;
  compareYears: number[];
}
interface Cursor {
  after: string | null;
  seen: number;
  open: number;
  flags: Record<keyof ScreeningFlags, number>;
  byDistrict: Record<string, number>;
  sweep?: boolean;
}
export interface RunReport {
  benefitYear: number;
  compared: number[];
  register: number;
  unenrolled: number;
  flags: Record<keyof ScreeningFlags, number>;
  byDistrict: Array<{ district: string; unenrolled: number }>;
}

function yearsCompared(table: PolicyTable): number[] {
  const n = table.keyDates.screening.compareWithPreviousYears;
  return Array.from({ length: n }, (_, i) => table.benefitYear - 1 - i);
}

async function marksOf(deps: Pick<Deps, 'db'>, year: number, hashes: string[]): Promise<Map<string, MarkDoc>> {
  if (!hashes.length) return new Map();
  const found = await deps.db.find<MarkDoc>(PROGRESS_MARKS, { _id: deps.db.cmd.in(hashes.map((h) => entryId(year, h))) }, { limit: PAGE });
  return new Map(found.map((m) => [m._id, m]));
}

async function assistedOf(deps: Pick<Deps, 'db'>, year: number, hashes: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let skip = 0; skip < 1000; skip += PAGE) {
    const rows = await deps.db.find<{ _id: string; idHash: string }>(C.assistanceLists, { benefitYear: year, idHash: deps.db.cmd.in(hashes) }, { orderBy: [['_id', 'asc']], skip, limit: PAGE, fields: { idHash: true } });
    rows.forEach((r) => out.add(r.idHash));
    if (rows.length < PAGE) break;
  }
  return out;
}

export const screeningRun = defineJobKind<Input, Cursor, RunReport>({
  kind: SCREENING_RUN,
  async step(deps, job) {
    const { benefitYear, compareYears } = job.input;
    const _ = deps.db.cmd;
    const c: Cursor = job.cursor ?? { after: null, seen: 0, open: 0, flags: { lapsed: 0, over60: 0, studentAge: 0, assisted: 0 }, byDistrict: {} };
    const now = deps.clock.now().toISOString();
    if (c.sweep) {
      // Entries this run did not find unenrolled (the person left the register) leave the list.
      await deps.db.updateWhere(SCREENING_ENTRIES, { benefitYear, status: _.in(['open', 'closed']), runId: _.neq(job._id) }, { status: 'gone', updatedAt: now });
      const report: RunReport = {
        benefitYear,
        compared: compareYears,
        register: c.seen,
        unenrolled: c.open,
        flags: c.flags,
        byDistrict: Object.entries(c.byDistrict).map(([district, unenrolled]) => ({ district, unenrolled })).sort((a, b) => a.district.localeCompare(b.district)),
      };
      await deps.db.update(SCREENING_RUNS, job._id, { status: 'done', finishedAt: now, report });
      return { cursor: c, phase: 'done', done: c.seen, finished: { report } };
    }
    const page = await deps.db.find<RegisterDoc>(HUKOU_REGISTER, c.after ? { _id: _.gt(c.after) } : {}, { orderBy: [['_id', 'asc']], limit: PAGE });
    const hashes = page.map((p) => p.idHash);
    const current = await marksOf(deps, benefitYear, hashes);
    const earlier = await Promise.all(compareYears.map((y) => marksOf(deps, y, hashes)));
    const assisted = await assistedOf(deps, benefitYear, hashes);
    const existing = new Map(
      (hashes.length ? await deps.db.find<ScreeningEntryDoc>(SCREENING_ENTRIES, { _id: _.in(hashes.map((h) => entryId(benefitYear, h))) }, { limit: PAGE }) : []).map((e) => [e._id, e]),
    );
    const fresh: ScreeningEntryDoc[] = [];
    const next: Cursor = { ...c, flags: { ...c.flags }, byDistrict: { ...c.byDistrict } };
    for (const r of page) {
      const id = entryId(benefitYear, r.idHash);
      const had = existing.get(id);
      if (current.has(id)) {
        if (had && (had.status === 'open' || had.status === 'closed')) await deps.db.update(SCREENING_ENTRIES, id, { status: 'enrolled', enrolledAt: now, updatedAt: now });
        continue;
      }
      const age = benefitYear - 1 - Number(decryptText(r.birthYearCipher));
      const before = earlier.map((m, i) => m.get(entryId(compareYears[i], r.idHash))).find((m) => !!m);
      const flags: ScreeningFlags = { lapsed: !!before, over60: age >= OVER_AGE, studentAge: age >= STUDENT_AGE.from && age <= STUDENT_AGE.to, assisted: assisted.has(r.idHash) };
      const facts = { name: r.name, idMasked: r.idMasked, district: r.district, township: r.township, community: r.community, flags, personId: before?.personId ?? had?.personId ?? null, runId: job._id, updatedAt: now };
      if (had) {
        // A visit's final outcome stays; anyone else found unenrolled is open again.
        await deps.db.update(SCREENING_ENTRIES, id, { ...facts, flags: deps.db.cmd.set(flags), status: had.status === 'closed' ? 'closed' : 'open' });
      } else {
        fresh.push({ _id: id, benefitYear, idHash: r.idHash, ...facts, status: 'open', visit: null, reminder: null, createdAt: now });
      }
      if (had?.status !== 'closed') {
        next.open++;
        next.byDistrict[r.district] = (next.byDistrict[r.district] ?? 0) + 1;
        for (const k of Object.keys(flags) as Array<keyof ScreeningFlags>) if (flags[k]) next.flags[k]++;
      }
    }
    if (fresh.length) await deps.db.insertMany(SCREENING_ENTRIES, fresh);
    next.seen += page.length;
    next.after = page.length ? page[page.length - 1]._id : c.after;
    if (page.length < PAGE) next.sweep = true;
    return { cursor: next, phase: next.sweep ? 'sweep' : 'compare', done: next.seen };
  },
});

// ------------------------------------------------------------------------------ staff actions

const READERS = ['city', 'district', 'community'] as const;

function scopeFilter(staff: Staff): Record<string, unknown> {
  if (staff.role === 'city') return {};
  if (staff.role === 'district') return { district: staff.org.district };
  return { district: staff.org.district, community: staff.org.name };
}

function yearOf(deps: Deps, benefitYear?: number): { year: number; table: PolicyTable } {
  const year = benefitYear ?? currentBenefitYear(shanghaiDateOf(deps.clock.now())).benefitYear;
  const table = policyTable(year) as PolicyTable | null;
  if (!table) throw new AppError('YEAR_NOT_PUBLISHED', `${year}年度的参保政策尚未公布`, 'benefitYear');
  return { year, table };
}

export async function startScreening(deps: Acting, benefitYear: number) {
  const staff = await requireStaff(deps, ['city']);
  const { year, table } = yearOf(deps, benefitYear);
  const now = deps.clock.now();
  // One run per minute at most: a double tap is the same run.
  const job = await startJob(deps, staff, screeningRun, { key: `${year}:${now.toISOString().slice(0, 16)}`, input: { benefitYear: year, compareYears: yearsCompared(table) }, phase: 'compare' });
  if (!job.existing) await deps.db.set(SCREENING_RUNS, job._id, { benefitYear: year, status: 'running', createdAt: now.toISOString(), startedBy: staff._id, finishedAt: null, report: null });
  await appendAudit(deps, { entity: 'policy_table', entityId: job._id, from: null, to: 'screening_run', actor: deps.caller.openid, reason: `screening run for ${year} (compared with ${yearsCompared(table).join(', ')})` }, `screening:${job._id}`);
  return jobView(((await advanceJob(deps, job._id, { budgetMs: ADVANCE_MS })) ?? job) as JobDoc<unknown, unknown, RunReport>);
}

export async function screeningJob(deps: Acting, jobId: string) {
  const staff = await requireStaff(deps, ['city']);
  await jobForStaff(deps, staff, jobId, { kinds: [SCREENING_RUN] });
  const job = (await advanceJob(deps, jobId, { budgetMs: ADVANCE_MS })) ?? (await jobForStaff(deps, staff, jobId, { kinds: [SCREENING_RUN] }));
  return jobView(job as JobDoc<unknown, unknown, RunReport>);
}

function entryView(e: ScreeningEntryDoc): ScreeningEntryView {
  return {
    entryId: e._id,
    name: e.name,
    idMasked: e.idMasked,
    district: e.district,
    township: e.township,
    community: e.community,
    flags: e.flags,
    status: e.status,
    visit: e.visit ? { outcome: e.visit.outcome, note: e.visit.note, byName: e.visit.byName, at: e.visit.at } : null,
    reminded: e.reminder?.at ?? null,
    canRemind: !!e.personId,
  };
}

export interface ListQuery {
  benefitYear?: number;
  district?: string;
  community?: string;
  flag?: keyof ScreeningFlags;
  status: 'open' | 'closed' | 'unvisited';
  skip: number;
  limit: number;
}

function listFilter(deps: Deps, staff: Staff, year: number, q: Pick<ListQuery, 'district' | 'community' | 'flag' | 'status'>): Record<string, unknown> {
  const scope = scopeFilter(staff);
  // Asking for a place outside one's scope finds nobody (never the scope's own list instead).
  const outside = (q.district && scope.district && q.district !== scope.district) || (q.community && scope.community && q.community !== scope.community);
  const filter: Record<string, unknown> = { benefitYear: year, ...(q.district ? { district: q.district } : {}), ...(q.community ? { community: q.community } : {}), ...scope };
  if (outside) filter.district = deps.db.cmd.in([]);
  filter.status = q.status === 'closed' ? 'closed' : 'open';
  if (q.status === 'unvisited') filter.visit = null;
  if (q.flag) filter[`flags.${q.flag}`] = true;
  return filter;
}

export async function listScreening(deps: Acting, q: ListQuery) {
  const staff = await requireStaff(deps, READERS);
  const { year } = yearOf(deps, q.benefitYear);
  const filter = listFilter(deps, staff, year, q);
  const [items, total] = await Promise.all([
    deps.db.find<ScreeningEntryDoc>(SCREENING_ENTRIES, filter, { orderBy: [['district', 'asc'], ['township', 'asc'], ['community', 'asc'], ['_id', 'asc']], skip: q.skip, limit: q.limit }),
    deps.db.count(SCREENING_ENTRIES, filter),
  ]);
  return { benefitYear: year, total, items: items.map(entryView) };
}

/** Per district (city) or per community (district, community): the open entries and their flags, grouped by the database. */
export async function screeningSummary(deps: Acting, benefitYear?: number): Promise<ScreeningSummary> {
  const staff = await requireStaff(deps, READERS);
  const { year, table } = yearOf(deps, benefitYear);
  const today = shanghaiDateOf(deps.clock.now());
  const s = table.keyDates.screening;
  const [run] = await deps.db.find<{ _id: string; status: string; createdAt: string; finishedAt: string | null }>(SCREENING_RUNS, { benefitYear: year }, { orderBy: [['createdAt', 'desc']], limit: 1 });
  const by = staff.role === 'city' ? '$district' : '$community';
  const flagSum = (k: keyof ScreeningFlags) => ({ $sum: { $cond: [`$flags.${k}`, 1, 0] } });
  const groups = await deps.db.aggregate<{ _id: string; open: number; unvisited: number; lapsed: number; over60: number; studentAge: number; assisted: number }>(SCREENING_ENTRIES, [
    { $match: { benefitYear: year, status: 'open', ...scopeFilter(staff) } },
    { $group: { _id: by, open: { $sum: 1 }, unvisited: { $sum: { $cond: [{ $eq: ['$visit', null] }, 1, 0] } }, lapsed: flagSum('lapsed'), over60: flagSum('over60'), studentAge: flagSum('studentAge'), assisted: flagSum('assisted') } },
    { $sort: { _id: 1 } },
  ]);
  return {
    benefitYear: year,
    period: { start: s.start, end: s.end, startAsWritten: s.startAsWritten },
    inPeriod: today >= s.start && today <= s.end,
    comparedWith: yearsCompared(table),
    focus: s.focus,
    lastRun: run ? { runId: run._id, status: run.status, createdAt: run.createdAt, finishedAt: run.finishedAt } : null,
    groupedBy: staff.role === 'city' ? 'district' : 'community',
    groups: groups.map((g) => ({ name: g._id, open: g.open, unvisited: g.unvisited, lapsed: g.lapsed, over60: g.over60, studentAge: g.studentAge, assisted: g.assisted })),
  };
}

async function entryForStaff(deps: Acting, staff: Staff, id: string): Promise<ScreeningEntryDoc> {
  const e = await deps.db.get<ScreeningEntryDoc>(SCREENING_ENTRIES, id);
  const scope = scopeFilter(staff);
  if (!e || Object.entries(scope).some(([k, v]) => (e as unknown as Record<string, unknown>)[k] !== v)) throw new AppError('OUT_OF_SCOPE', '该人员不在您的管辖范围内', 'entryId');
  return e;
}

export async function recordVisit(deps: Acting, input: { entryId: string; outcome: VisitOutcome; note?: string }) {
  const staff = await requireStaff(deps, READERS);
  const e = await entryForStaff(deps, staff, input.entryId);
  if (e.status === 'enrolled' || e.status === 'gone') throw new AppError('SCREENING_ENTRY_CLOSED', e.status === 'enrolled' ? '该人员已参保，无需走访' : '该人员已不在排查名单中', 'entryId');
  const now = deps.clock.now().toISOString();
  const status = OPEN_OUTCOMES.includes(input.outcome) ? 'open' : 'closed';
  const visit = { outcome: input.outcome, note: input.note ?? null, by: staff._id, byName: staff.name, at: now };
  await deps.db.update(SCREENING_ENTRIES, e._id, { visit: deps.db.cmd.set(visit), status, updatedAt: now });
  await appendAudit(deps, { entity: 'person', entityId: e._id, from: e.status, to: status, actor: deps.caller.openid, reason: `screening visit: ${input.outcome}` });
  return entryView({ ...e, visit, status });
}

/** The list as a file (csv or xlsx) for the caller's scope, at most EXPORT_MAX rows (a community or a flag narrows it). */
export const EXPORT_MAX = 5_000;
export async function exportScreening(deps: Acting, q: Omit<ListQuery, 'skip' | 'limit'> & { format: 'csv' | 'xlsx' }) {
  const staff = await requireStaff(deps, READERS);
  const { year } = yearOf(deps, q.benefitYear);
  const filter = listFilter(deps, staff, year, q);
  const total = await deps.db.count(SCREENING_ENTRIES, filter);
  if (total > EXPORT_MAX) throw new AppError('EXPORT_TOO_LARGE', `名单共 ${total} 人，超过单次导出上限 ${EXPORT_MAX} 人：请按社区或标记筛选后导出`);
  const rows: Array<Array<string | number | null>> = [];
  for (let skip = 0; skip < total; skip += PAGE) {
    const page = await deps.db.find<ScreeningEntryDoc>(SCREENING_ENTRIES, filter, { orderBy: [['district', 'asc'], ['township', 'asc'], ['community', 'asc'], ['_id', 'asc']], skip, limit: PAGE });
    for (const e of page) {
      const flags = (Object.keys(FLAG_TEXT) as Array<keyof ScreeningFlags>).filter((k) => e.flags[k]).map((k) => FLAG_TEXT[k]).join('、');
      rows.push([e.district, e.township, e.community, e.name, e.idMasked, flags, e.visit ? OUTCOME_TEXT[e.visit.outcome] : '未走访', e.visit?.note ?? '', e.visit ? shanghaiDateOf(new Date(e.visit.at)) : '']);
    }
  }
  await appendAudit(deps, { entity: 'person', entityId: `screening-${year}`, from: null, to: 'exported', actor: deps.caller.openid, reason: `screening list exported: ${rows.length} rows` });
  const file = await saveExport(deps, deps.caller.openid, `${year}年度未参保人员排查名单`, q.format, ['区县', '乡镇（街道）', '社区（村）', '姓名', '身份证号', '标记', '走访结果', '走访说明', '走访日期'], rows);
  return { url: file.url, fileName: file.fileName, rows: rows.length };
}

/**
 * Reminders to those who can receive one: a listed person whose record has an account acting for
 * them (an active link) that accepted the 缴费截止提醒 subscription (one-time: used up by this
 * message). At most 50 entries a call; the reply says how many went out and why not the others.
 */
export async function remind(deps: Acting, input: { benefitYear?: number; entryIds: string[] }) {
  const staff = await requireStaff(deps, READERS);
  const { year, table } = yearOf(deps, input.benefitYear);
  const today = shanghaiDateOf(deps.clock.now());
  let sent = 0;
  let noAccount = 0;
  let notSubscribed = 0;
  for (const id of input.entryIds) {
    const e = await entryForStaff(deps, staff, id);
    if (e.status !== 'open' || !e.personId) {
      noAccount++;
      continue;
    }
    const links = await deps.db.find<FamilyLinkDoc>(C.familyLinks, { personId: e.personId }, { limit: 20 });
    const owners = [...new Set(links.filter((l) => statusOf(l) === 'active').map((l) => l.ownerOpenid))];
    if (!owners.length) {
      noAccount++;
      continue;
    }
    let reached = false;
    for (const openid of owners) {
      const user = await deps.db.get<UserDoc>(C.users, openid);
      if (!user?.subscriptions?.includes('window_closing')) continue;
      const msg = reminderMessage({ template: 'window_closing', benefitYear: year, window: { start: table.collectionWindow.start, end: table.collectionWindow.end } }, today, openid);
      await deps.messages.sendSubscribe(msg);
      await deps.db.update(C.users, openid, { subscriptions: deps.db.cmd.set(user.subscriptions.filter((t) => t !== 'window_closing')) });
      reached = true;
    }
    if (reached) {
      sent++;
      await deps.db.update(SCREENING_ENTRIES, e._id, { reminder: deps.db.cmd.set({ at: deps.clock.now().toISOString(), sent: 1 }) });
    } else notSubscribed++;
  }
  await appendAudit(deps, { entity: 'person', entityId: `screening-${year}`, from: null, to: 'reminded', actor: deps.caller.openid, reason: `screening reminders: ${sent} sent, ${noAccount} without an account, ${notSubscribed} not subscribed` });
  return { sent, noAccount, notSubscribed };
}

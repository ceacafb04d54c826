/**
 * The `staffLists` actions (issue 12): import an assisted-people list as a job, follow its
 * progress and report, the mobilization list (export, mark worked) and the reconciliation list.
 *
 * Scope, on the server: a district imports rows of its own communities only (checked per row,
 * list-import.ts) and sees the mobilization and reconciliation entries of its district; a
 * department imports only the categories it sends and sees the entries of the lists it sent; a
 * community worker sees and works its own community's entries; the city centre everything.
 * Universities and schools have no part in these lists.
 */
import { AppError } from '../../platform/errors';
import type { Filter } from '../../platform/database';
import { appendAudit } from '../audit/audit-log';
import { Acting, C, Deps } from '../context';
import { shanghaiDateOf } from '../dates';
import { enrollmentId, EnrollmentDoc, PAID_STATES } from '../enrollments/enrollments';
import { ExportFormat, saveExport } from '../files/export';
import { dropStaged, readBlock, writeBlock } from '../files/staging';
import { readOwnUpload, uploadTicket } from '../files/uploads';
import { advanceJob, defineJobKind, jobForStaff, JobDoc, jobsStartedBy, jobView, startJob } from '../jobs/jobs';
import { PersonDoc } from '../persons/persons';
import { communitiesOf } from '../staff/organisations';
import { currentBenefitYear, listBenefitYears } from '../policy-port';
import { requireStaff, Staff } from '../staff/scope';
import { ROLE_NOT_ALLOWED } from '../staff/staff';
import { categoryCode, categoryLabel, listDates } from './categories';
import { IMPORT_ROLES, LIST_IMPORT, LIST_ROLES, MOBILIZATION_EXPORT, WORK_ROLES } from './roles';
import { listImport, ListImportInput, ListImportReport, listTiming, MobilizationDoc } from './list-import';

export { importsWithErrors, IMPORT_ROLES, LIST_ROLES, WORK_ROLES, MOBILIZATION_EXPORT } from './roles';
/** Work a poll or a start does on the job before answering (the function's timeout is 60 s). */
export const CALL_BUDGET_MS = 8_000;

/** LISTS_CALL_BUDGET_MS (optional, 1–8000): less work per call (tests stop a job between steps). */
function callBudget(): number {
  const ms = Number(process.env.LISTS_CALL_BUDGET_MS);
  return Number.isInteger(ms) && ms >= 1 && ms <= CALL_BUDGET_MS ? ms : CALL_BUDGET_MS;
}

export function ticket(deps: Acting, staff: Staff, ext: 'xlsx' | 'csv') {
  return uploadTicket(staff.openid, ext);
}

export async function uploadTicketFor(deps: Acting, ext: 'xlsx' | 'csv') {
  const staff = await requireStaff(deps, IMPORT_ROLES);
  return ticket(deps, staff, ext);
}

export async function startImport(deps: Acting, input: { fileID: string; fileName: string; benefitYear: number; category?: string }) {
  const staff = await requireStaff(deps, IMPORT_ROLES);
  const receivedOn = shanghaiDateOf(deps.clock.now());
  if (!listDates(input.benefitYear)) throw new AppError('YEAR_NOT_PUBLISHED', `${input.benefitYear}年度的参保政策尚未公布`, 'benefitYear');
  const defaultCategory = input.category ? categoryCode(input.category) : null;
  if (input.category && !defaultCategory) throw new AppError('CATEGORY_UNKNOWN', '救助类别无法识别', 'category');
  const { sha256 } = await readOwnUpload(deps, staff.openid, input.fileID);
  listTiming(input.benefitYear, receivedOn);
  const job = await startJob<ListImportInput, unknown, ListImportReport>(deps, staff, listImport as any, {
    // The same file for the same year is the same import, whoever sends it again.
    key: `${sha256}:${input.benefitYear}`,
    input: { fileID: input.fileID, fileName: input.fileName.slice(0, 100), sha256, benefitYear: input.benefitYear, defaultCategory, receivedOn },
    phase: 'parse',
  });
  if (job.existing) {
    // Someone else's earlier import of this file: say so without showing its report.
    if (job.starter.staffId !== staff._id && staff.role !== 'city' && job.starter.orgParentId !== staff.org._id) throw new AppError('ALREADY_IMPORTED', '该文件已由其他单位导入', 'fileID');
    // The second upload of the same bytes is not needed: the first one is the job's input.
    if (job.input.fileID !== input.fileID) await deps.storage.remove([input.fileID]).catch(() => undefined);
    return { ...jobView(job), existing: true };
  }
  await appendAudit(deps, { entity: 'assistance_list', entityId: job._id, from: null, to: 'import_started', actor: deps.caller.openid, reason: `assistance list for ${input.benefitYear} received ${receivedOn}` }, `list_import_${job._id}`);
  const advanced = (await advanceJob(deps, job._id, { budgetMs: callBudget() })) ?? job;
  return { ...jobView(advanced as JobDoc<unknown, unknown, ListImportReport>), existing: false };
}

/** Progress and report of an import or export; advances it when nobody else is working on it. */
export async function jobStatus(deps: Acting, jobId: string) {
  const staff = await requireStaff(deps, LIST_ROLES);
  let job = await jobForStaff<unknown, unknown, any>(deps, staff, jobId, { kinds: [LIST_IMPORT, MOBILIZATION_EXPORT] });
  if (job.status === 'running') job = ((await advanceJob(deps, jobId, { budgetMs: callBudget() })) ?? job) as typeof job;
  const view = jobView(job);
  if (job.kind === MOBILIZATION_EXPORT && job.status === 'done' && job.report?.fileID) {
    // A fresh short-lived URL on every read: the file itself stays in the staff member's folder.
    const url = await deps.storage.tempUrl(job.report.fileID, 600);
    return { ...view, report: { fileName: job.report.fileName, rows: job.report.rows, url } };
  }
  return view;
}

/** Benefit years with list deadlines, the current season's first (the server's clock decides). */
export function listYearsNow(deps: Pick<Deps, 'clock'>): number[] {
  const today = shanghaiDateOf(deps.clock.now());
  const current = currentBenefitYear(today).benefitYear;
  const years = listBenefitYears().filter((y) => listDates(y) && y <= current + 1 && y >= current - 1);
  return [current, ...years.filter((y) => y !== current).sort((a, b) => b - a)];
}

/** The caller's own recent imports (newest first). */
export async function listImports(deps: Acting) {
  const staff = await requireStaff(deps, IMPORT_ROLES);
  const jobs = await jobsStartedBy(deps, staff, [LIST_IMPORT], 20);
  return { imports: jobs.map((j) => jobView(j as JobDoc<unknown, unknown, ListImportReport>)), years: listYearsNow(deps) };
}

/** The entries a staff member sees (mobilization and reconciliation have the same place fields). */
export function scopeFilter(staff: Staff): Filter {
  switch (staff.role) {
    case 'city':
      return {};
    case 'district':
      return { district: staff.org.district };
    case 'community':
      return { communityId: staff.org._id };
    case 'department':
      return { sentBy: staff.org._id };
    default:
      throw ROLE_NOT_ALLOWED();
  }
}

export interface PlaceFilter {
  benefitYear: number;
  township?: string;
  community?: string;
  status?: 'open' | 'worked';
}

function placeFilter(staff: Staff, f: PlaceFilter): Filter {
  return {
    benefitYear: f.benefitYear,
    ...scopeFilter(staff),
    ...(f.township ? { township: f.township } : {}),
    ...(f.community ? { communityName: f.community } : {}),
    ...(f.status ? { status: f.status } : {}),
  };
}

/** Whether each person has paid (or been covered) this year, read for a page of entries. */
async function paidNow(deps: Pick<Deps, 'db'>, year: number, hashes: string[]): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  if (hashes.length === 0) return out;
  const persons = await deps.db.find<PersonDoc>(C.persons, { idHash: deps.db.cmd.in(hashes) }, { limit: 100, fields: { _id: true, idHash: true } });
  const enrollments = persons.length
    ? await deps.db.find<EnrollmentDoc>(C.enrollments, { _id: deps.db.cmd.in(persons.map((p) => enrollmentId(p._id, year))) }, { limit: 100, fields: { personId: true, status: true } })
    : [];
  const paid = new Set(enrollments.filter((e) => PAID_STATES.includes(e.status)).map((e) => e.personId));
  for (const p of persons) out.set(p.idHash, paid.has(p._id));
  return out;
}

function mobilizationView(m: MobilizationDoc, paid: boolean) {
  return {
    entryId: m._id,
    name: m.name,
    idMasked: m.idMasked,
    category: categoryLabel(m.category),
    percent: m.percent,
    payableFen: m.payableFen,
    township: m.township,
    community: m.communityName,
    status: m.status,
    workedAt: m.workedAt,
    note: m.note,
    paid,
  };
}

export async function mobilizationList(deps: Acting, q: Omit<PlaceFilter, 'benefitYear'> & { benefitYear?: number; offset: number; limit: number }) {
  const staff = await requireStaff(deps, LIST_ROLES);
  const years = listYearsNow(deps);
  const f = { ...q, benefitYear: q.benefitYear ?? years[0] };
  const filter = placeFilter(staff, f);
  const [total, page] = await Promise.all([
    deps.db.count(C.mobilization, filter),
    deps.db.find<MobilizationDoc>(C.mobilization, filter, { orderBy: [['township', 'asc'], ['communityName', 'asc'], ['_id', 'asc']], skip: f.offset, limit: f.limit }),
  ]);
  const paid = await paidNow(deps, f.benefitYear, page.map((m) => m.idHash));
  // The places a district chooses from; a community's own is fixed, a department or the city types one.
  const places = staff.role === 'district' && staff.org.district ? (await communitiesOf(deps, staff.org.district)).map((c) => ({ township: c.township, community: c.name })) : [];
  return { total, items: page.map((m) => mobilizationView(m, paid.get(m.idHash) ?? false)), places, benefitYear: f.benefitYear, years };
}

export async function markWorked(deps: Acting, benefitYear: number, entryIds: string[], note: string | undefined) {
  const staff = await requireStaff(deps, WORK_ROLES);
  const entries = await deps.db.find<MobilizationDoc>(C.mobilization, { _id: deps.db.cmd.in(entryIds), benefitYear, ...scopeFilter(staff) }, { limit: 100 });
  if (entries.length !== new Set(entryIds).size) throw new AppError('OUT_OF_SCOPE', '有名单条目不存在或不在您的管辖范围内', 'entryIds');
  const now = deps.clock.now().toISOString();
  for (const e of entries) {
    await deps.db.update(C.mobilization, e._id, { status: 'worked', workedAt: now, workedBy: staff._id, note: note ?? null });
    await appendAudit(deps, { entity: 'assistance_list', entityId: e._id, from: e.status, to: 'worked', actor: deps.caller.openid, reason: note ? `mobilization visited: ${note}` : 'mobilization visited' });
  }
  return { marked: entries.length };
}

// ── Export of the mobilization list, as a job: 100 entries a step into staged blocks, then the file.

interface ExportInput extends PlaceFilter {
  format: ExportFormat;
  openid: string;
}
interface ExportCursor {
  after: string | null;
  blocks: number;
  rows: number;
}
interface ExportReport {
  fileName: string;
  rows: number;
  fileID: string;
}

const EXPORT_HEADERS = ['姓名', '身份证号码（脱敏）', '救助类别', '资助比例', '个人应缴（元）', '所属乡镇/街道', '所属村/社区', '动员状态', '已缴费', '备注'];

export const mobilizationExport = defineJobKind<ExportInput, ExportCursor, ExportReport>({
  kind: MOBILIZATION_EXPORT,
  async step(deps, job) {
    const cursor = job.cursor ?? { after: null, blocks: 0, rows: 0 };
    const staff = { role: job.starter.role, org: { _id: job.starter.orgId, district: job.starter.district } } as unknown as Staff;
    const base = placeFilter(staff, job.input);
    const page = await deps.db.find<MobilizationDoc>(C.mobilization, cursor.after ? { ...base, _id: deps.db.cmd.gt(cursor.after) } : base, { orderBy: [['_id', 'asc']], limit: 100 });
    if (page.length > 0) {
      const paid = await paidNow(deps, job.input.benefitYear, page.map((m) => m.idHash));
      const rows = page.map((m) => [m.name, m.idMasked, categoryLabel(m.category), `${m.percent}%`, (m.payableFen / 100).toFixed(2), m.township ?? '', m.communityName ?? '', m.status === 'worked' ? '已走访' : '未走访', paid.get(m.idHash) ? '是' : '否', m.note ?? '']);
      // One staged block per step (deterministic id: a repeated step rewrites the same block).
      await writeBlock(deps, job._id, cursor.blocks, rows);
      const next = { after: page[page.length - 1]._id, blocks: cursor.blocks + 1, rows: cursor.rows + rows.length };
      if (page.length === 100) return { cursor: next, phase: 'collect', done: next.rows };
      return { cursor: next, phase: 'write', done: next.rows };
    }
    // Everything collected: the file (rows were sorted by id; the sheet by place).
    const all: string[][] = [];
    for (let b = 0; b < cursor.blocks; b++) all.push(...(await readBlock<string[]>(deps, job._id, b)));
    all.sort((a, b) => a[5].localeCompare(b[5], 'zh') || a[6].localeCompare(b[6], 'zh') || a[0].localeCompare(b[0], 'zh'));
    const file = await saveExport(deps, job.input.openid, `动员名单-${job.input.benefitYear}`, job.input.format, EXPORT_HEADERS, all);
    return { cursor, phase: 'done', done: all.length, total: all.length, finished: { report: { fileName: file.fileName, rows: all.length, fileID: file.fileID } } };
  },
  async finish(deps, job) {
    await dropStaged(deps, job._id, job.cursor?.blocks ?? 0);
  },
});

export async function exportMobilization(deps: Acting, f: PlaceFilter & { format: ExportFormat }) {
  const staff = await requireStaff(deps, LIST_ROLES);
  scopeFilter(staff);
  // A double tap within the same minute is the same export; a later one reads the list afresh.
  const minute = deps.clock.now().toISOString().slice(0, 16);
  const job = await startJob(deps, staff, mobilizationExport, {
    key: `${staff._id}:${f.benefitYear}:${f.township ?? ''}:${f.community ?? ''}:${f.status ?? ''}:${f.format}:${minute}`,
    input: { benefitYear: f.benefitYear, township: f.township, community: f.community, status: f.status, format: f.format, openid: staff.openid },
    phase: 'collect',
  });
  if (job.status === 'running') await advanceJob(deps, job._id, { budgetMs: callBudget() });
  return jobStatus(deps, job._id);
}

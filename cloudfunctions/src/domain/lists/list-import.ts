/**
 * Import of an assisted-people list (资助参保名单, issue 12) as a job (domain/jobs):
 *
 * 1. `parse` (one step): the uploaded file is read once (xlsx/csv, files/table.ts), every row
 *    validated — name present, ID number valid (GB 11643), 救助类别 known, known to the benefit
 *    year's scheme and not named there as getting nothing, one the sender may send (a department
 *    its own categories), inside the sender's scope (a district: its own communities), not a
 *    duplicate of an earlier row — and the report written. All or nothing per file: any error
 *    rejects the whole file (report with row numbers and masked ID numbers, never the number).
 *    A clean file's rows are staged (files/staging.ts, encrypted blocks of 500).
 * 2. `apply` (one step per 100 rows): each row lands in `assistance_lists` (deterministic id,
 *    inserted if missing), then by the person's best category for the year (this row's, or an
 *    earlier list's as its mobilization entry or assisted_covered enrollment shows):
 *    fully assisted and not enrolled → enrolled with nothing to pay (`assisted_covered`,
 *    amountFen 0; a person not registered yet is registered from the list); partially assisted
 *    and not paid → the mobilization list of their township and community; already paid more
 *    than they owe now → the reconciliation list with the difference.
 * 3. The staged rows and the uploaded file are deleted.
 *
 * Idempotent: the job key is the file's SHA-256 and the benefit year, so the same file twice
 * is the same job with the same report. A step repeated after a crash writes nothing twice
 * (deterministic ids, insertMissing, the enrollment's unique id) and counts the same: counts are
 * read from what the rows' documents say about this job (jobId tags), not incremented blindly.
 *
 * Dates (POLICY.md §4): initial lists by 08-25 (2023 scheme) / 08-31 (2021), additions until
 * 12-25 / 12-31, after the season monthly changes before the 5th. The kind follows the day the
 * file arrives; a file after its deadline is accepted and marked late.
 */
import { createHash } from 'crypto';
import { AppError } from '../../platform/errors';
import { appendAudit, appendSystemAuditBatch } from '../audit/audit-log';
import { C, Deps } from '../context';
import { shanghaiDateOf } from '../dates';
import { enrollmentId, EnrollmentDoc, PAID_STATES } from '../enrollments/enrollments';
import type { AssistanceRow } from '../enrollments/person-quote';

import { readBlock, stageRows, dropStaged, BLOCK_ROWS } from '../files/staging';
import { cell, mapHeaders, readTable, Table } from '../files/table';
import { encryptIdNumber, hashIdNumber, maskId, protectIdNumber } from '../identity/id-protection';
import { defineJobKind, insertMissing, insertMissingReturning, JobDoc, StepResult } from '../jobs/jobs';
import { PersonCommunity, PersonDoc } from '../persons/persons';
import { parseId } from '../policy-port';
import { attachmentDistricts, getOrganisation, OrganisationDoc } from '../staff/organisations';
import { categoryCode, categoryLabel, listDates, mayImportCategory, payableWith, yearRule } from './categories';

export { LIST_IMPORT } from './roles';
import { LIST_IMPORT } from './roles';
import { countEnrolled } from '../season/counters';
/** Rows per apply step: one read of persons, lists and enrollments each (the cloud's 100). */
const STEP_ROWS = 100;
/** Errors listed one by one in the report; the rest are counted by code. */
export const MAX_LISTED_ERRORS = 200;
export const MAX_LIST_ROWS = 60_000;

export const COLUMNS = {
  name: { names: ['姓名', '救助对象姓名', '人员姓名'], required: true },
  idNumber: { names: ['身份证号码', '身份证号', '公民身份号码', '证件号码', '身份证件号码'], required: true },
  category: { names: ['救助类别', '资助类别', '人员类别', '困难类别', '类别'], required: false },
  district: { names: ['所属区县', '区县', '县(市、区)', '县区'], required: false },
  township: { names: ['所属乡镇/街道', '乡镇/街道', '所属乡镇(街道)', '乡镇(街道)', '街道/乡镇', '所属街道'], required: false },
  community: { names: ['所属村/社区', '村/社区', '所属村(社区)', '村(社区)', '社区/村', '所属社区'], required: false },
} as const;

export type ListKind = 'initial' | 'addition' | 'late_addition' | 'monthly_change';

export interface ListImportInput {
  fileID: string;
  fileName: string;
  sha256: string;
  benefitYear: number;
  /** The category for every row when the sheet has no 救助类别 column (the page's choice). */
  defaultCategory: string | null;
  /** Shanghai date the file arrived. */
  receivedOn: string;
}

export interface RowError {
  row: number;
  code: string;
  message: string;
  idMasked: string | null;
}

export interface ImportResults {
  /** Rows that put a person on a list for the first time in this category. */
  listed: number;
  /** Rows already on the list from an earlier file. */
  alreadyListed: number;
  autoEnrolled: number;
  personsCreated: number;
  alreadyCovered: number;
  mobilization: number;
  reconciliation: number;
  /** Fully assisted people with an order waiting to be paid: left to that order. */
  awaitingPayment: number;
  /** Rows whose community is not (yet) an organisation here: kept with the names as written. */
  unresolvedCommunities: number;
}

export interface ListImportReport {
  outcome: 'imported' | 'rejected';
  fileName: string;
  format: string;
  encoding: string | null;
  benefitYear: number;
  rows: number;
  errorCount: number;
  errorsByCode: Record<string, number>;
  errors: RowError[];
  /** File-level problems (missing columns, unreadable file). */
  fileErrors: string[];
  timing: Timing;
  results: ImportResults | null;
}

export interface Timing {
  kind: ListKind;
  receivedOn: string;
  dueBy: string;
  late: boolean;
}

interface StagedRow {
  row: number;
  name: string;
  idNumber: string;
  category: string;
  district: string | null;
  township: string | null;
  community: PersonCommunity | null;
  communityName: string | null;
}

interface Cursor {
  stage: 'apply';
  blocks: number;
  rows: number;
  block: number;
  offset: number;
  results: ImportResults;
  report: Omit<ListImportReport, 'results'>;
}

export interface ListEntryDoc extends AssistanceRow {
  _id: string;
  name: string;
  idMasked: string;
  district: string | null;
  township: string | null;
  communityId: string | null;
  communityName: string | null;
  sentBy: string;
  jobId: string;
  late: boolean;
  listKind: ListKind;
  importedAt: string;
}

export interface MobilizationDoc {
  _id: string;
  benefitYear: number;
  idHash: string;
  personId: string | null;
  name: string;
  idMasked: string;
  category: string;
  percent: number;
  payableFen: number;
  district: string | null;
  township: string | null;
  communityId: string | null;
  communityName: string | null;
  sentBy: string;
  jobId: string;
  status: 'open' | 'worked';
  workedAt: string | null;
  workedBy: string | null;
  note: string | null;
  createdAt: string;
}

export interface ReconciliationDoc {
  _id: string;
  benefitYear: number;
  personId: string;
  idHash: string;
  name: string;
  idMasked: string;
  category: string;
  percent: number;
  paidFen: number;
  dueFen: number;
  differenceFen: number;
  outTradeNo: string | null;
  district: string | null;
  township: string | null;
  communityId: string | null;
  communityName: string | null;
  sentBy: string;
  jobId: string;
  status: 'open' | 'settled';
  createdAt: string;
  /** Once the difference went back (reconciliation.ts). */
  settledWay?: 'wechat_refund' | 'cash_returned';
  settledAt?: string;
  settledBy?: string;
  settleNote?: string;
  outRefundNo?: string;
}

const short = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);
export const listEntryId = (year: number, idHash: string, category: string) => `al-${short(`${year}|${idHash}|${category}`)}`;
export const mobilizationId = (year: number, idHash: string) => `mob-${short(`${year}|${idHash}`)}`;
export const reconciliationId = (year: number, personId: string) => `rec-${short(`${year}|${personId}`)}`;

/** Which list a file arriving on `on` is, its deadline, and whether it is late. */
export function listTiming(benefitYear: number, on: string): Timing {
  const d = listDates(benefitYear);
  if (!d) throw new AppError('YEAR_NOT_PUBLISHED', `${benefitYear}年度的参保政策尚未公布`, 'benefitYear');
  if (on <= d.initialBy) return { kind: 'initial', receivedOn: on, dueBy: d.initialBy, late: false };
  if (on <= d.additionsBy) return { kind: 'addition', receivedOn: on, dueBy: d.additionsBy, late: false };
  if (on <= d.windowEnd) return { kind: 'late_addition', receivedOn: on, dueBy: d.additionsBy, late: true };
  // After the season: the month's change list is due before the 5th (days 1–4 on time).
  const dueBy = `${on.slice(0, 8)}${String(d.monthlyBeforeDay - 1).padStart(2, '0')}`;
  return { kind: 'monthly_change', receivedOn: on, dueBy, late: on > dueBy };
}

const DISTRICT_NAMES = new Set(attachmentDistricts().map((d) => d.name));

/** Community organisations by name, read in pages of 100 names. */
async function communitiesNamed(deps: Pick<Deps, 'db'>, names: string[]): Promise<OrganisationDoc[]> {
  const out: OrganisationDoc[] = [];
  for (let i = 0; i < names.length; i += 100) {
    const batch = names.slice(i, i + 100);
    for (let skip = 0; ; skip += 100) {
      const page = await deps.db.find<OrganisationDoc>(C.organisations, { kind: 'community', name: deps.db.cmd.in(batch) }, { orderBy: [['_id', 'asc']], skip, limit: 100 });
      out.push(...page);
      if (page.length < 100) break;
    }
  }
  return out;
}

function error(row: number, code: string, message: string, idNumber?: string): RowError {
  return { row, code, message, idMasked: idNumber && idNumber.length >= 8 ? maskId(idNumber) : null };
}

const emptyResults = (): ImportResults => ({ listed: 0, alreadyListed: 0, autoEnrolled: 0, personsCreated: 0, alreadyCovered: 0, mobilization: 0, reconciliation: 0, awaitingPayment: 0, unresolvedCommunities: 0 });

function rejected(base: Omit<ListImportReport, 'outcome' | 'results' | 'errorCount' | 'errorsByCode' | 'errors' | 'fileErrors'>, errors: RowError[], fileErrors: string[] = []): ListImportReport {
  const errorsByCode: Record<string, number> = {};
  for (const e of errors) errorsByCode[e.code] = (errorsByCode[e.code] ?? 0) + 1;
  return {
    ...base,
    outcome: 'rejected',
    errorCount: errors.length + fileErrors.length,
    errorsByCode,
    errors: errors.slice(0, MAX_LISTED_ERRORS),
    fileErrors,
    results: null,
  };
}

/** The parse step: read, validate, report; stage a clean file. */
async function parseStep(deps: Deps, job: JobDoc<ListImportInput, Cursor, ListImportReport>): Promise<StepResult<Cursor | null, ListImportReport>> {
  const input = job.input;
  const timing = listTiming(input.benefitYear, input.receivedOn);
  let bytes: Buffer;
  try {
    bytes = await deps.storage.download(input.fileID);
  } catch {
    throw new AppError('FILE_NOT_FOUND', '上传的文件已不存在，请重新上传');
  }
  // The file read is the one hashed at start: an upload overwritten since is not imported.
  if (createHash('sha256').update(bytes).digest('hex') !== input.sha256) throw new AppError('FILE_CHANGED', '文件在导入开始后被修改，请重新上传');
  const base = { fileName: input.fileName, format: 'csv', encoding: null as string | null, benefitYear: input.benefitYear, rows: 0, timing };
  let table: Table;
  try {
    table = await readTable(bytes, { maxRows: MAX_LIST_ROWS });
  } catch (err) {
    if (err instanceof AppError) return { cursor: null, phase: 'rejected', finished: { report: rejected(base, [], [err.userMessage]) } };
    throw err;
  }
  base.format = table.format;
  base.encoding = table.encoding;
  base.rows = table.rows.length;
  const mapped = mapHeaders(table.headers, COLUMNS);
  const fileErrors: string[] = [];
  if (mapped.missing.length) fileErrors.push(`缺少必填列：${mapped.missing.join('、')}`);
  if (mapped.columns.category === undefined && !input.defaultCategory) fileErrors.push('缺少“救助类别”列：请在表中填写，或导入时选择救助类别');
  if (mapped.duplicated.length) fileErrors.push(`列名重复：${mapped.duplicated.join('、')}`);
  if (fileErrors.length) return { cursor: null, phase: 'rejected', finished: { report: rejected(base, [], fileErrors) } };

  const starterOrg = (await getOrganisation(deps, job.starter.orgId)) ?? { kind: 'city' as const, name: '', _id: job.starter.orgId };
  const cols = mapped.columns;
  // Community organisations named in the file, read once.
  const names = [...new Set(table.rows.map((r) => cell(r, cols.community)).filter(Boolean))];
  const communities = await communitiesNamed(deps, names);

  const errors: RowError[] = [];
  const staged: StagedRow[] = [];
  const firstRowOf = new Map<string, number>();
  for (const r of table.rows) {
    const name = cell(r, cols.name).replace(/\s+/g, '');
    const idRaw = cell(r, cols.idNumber).replace(/\s+/g, '').toUpperCase();
    const categoryText = cols.category === undefined ? '' : cell(r, cols.category);
    let rowError: RowError | null = null;
    if (!name) rowError = error(r.rowNumber, 'NAME_MISSING', '姓名为空');
    let idOk = false;
    if (!rowError) {
      try {
        parseId(idRaw);
        idOk = /^\d{17}[\dX]$/.test(idRaw);
      } catch {
        idOk = false;
      }
      if (!idOk) rowError = error(r.rowNumber, 'ID_INVALID', idRaw ? '身份证号码不正确（位数、出生日期或校验位有误）' : '身份证号码为空', idRaw);
    }
    let code: string | null = null;
    if (!rowError) {
      code = categoryText ? categoryCode(categoryText) : input.defaultCategory;
      if (!code) rowError = error(r.rowNumber, 'CATEGORY_UNKNOWN', `救助类别“${categoryText.slice(0, 20)}”无法识别`, idRaw);
    }
    if (!rowError && code) {
      const rule = yearRule(input.benefitYear, code);
      if (rule === 'unknown') rowError = error(r.rowNumber, 'CATEGORY_NOT_IN_YEAR', `${input.benefitYear}年度政策没有“${categoryLabel(code)}”这一资助类别`, idRaw);
      else if (rule === 'none') rowError = error(r.rowNumber, 'CATEGORY_NOT_IN_YEAR', `${input.benefitYear}年度政策明确“${categoryLabel(code)}”不予资助`, idRaw);
      else if (!mayImportCategory(starterOrg, code)) rowError = error(r.rowNumber, 'CATEGORY_NOT_YOURS', `本单位不报送“${categoryLabel(code)}”名单`, idRaw);
    }
    // Where the person lives: the named community (matching township/district when given).
    const districtText = cell(r, cols.district);
    const districtNamed = DISTRICT_NAMES.has(districtText) ? districtText : null;
    const townshipText = cell(r, cols.township) || null;
    const communityText = cell(r, cols.community) || null;
    let community: OrganisationDoc | null = null;
    if (!rowError && communityText) {
      const candidates = communities.filter(
        (c) => c.name === communityText && (!townshipText || !c.township || c.township === townshipText) && (!districtNamed || c.district === districtNamed),
      );
      const own = candidates.filter((c) => c.district === job.starter.district);
      community = candidates.length === 1 ? candidates[0] : own.length === 1 ? own[0] : null;
    }
    const district = community?.district ?? districtNamed ?? (job.starter.role === 'district' ? job.starter.district : null);
    if (!rowError && job.starter.role === 'district' && district !== job.starter.district) {
      rowError = error(r.rowNumber, 'OUT_OF_SCOPE', `不属于${job.starter.district ?? '本区'}（${district ?? '区县不明'}），请由所属区县导入`, idRaw);
    }
    if (!rowError) {
      const seen = firstRowOf.get(idRaw);
      if (seen !== undefined) rowError = error(r.rowNumber, 'DUPLICATE_IN_FILE', `与第${seen}行是同一人（身份证号码重复）`, idRaw);
      else firstRowOf.set(idRaw, r.rowNumber);
    }
    if (rowError) {
      errors.push(rowError);
      continue;
    }
    staged.push({
      row: r.rowNumber,
      name,
      idNumber: idRaw,
      category: code as string,
      district,
      township: community?.township ?? townshipText,
      community: community ? { id: community._id, name: community.name, township: community.township, district: community.district as string } : null,
      communityName: community?.name ?? communityText,
    });
  }
  if (errors.length) return { cursor: null, phase: 'rejected', finished: { report: rejected(base, errors) } };

  const blocks = await stageRows(deps, job._id, staged);
  const report = { ...base, outcome: 'imported' as const, errorCount: 0, errorsByCode: {}, errors: [], fileErrors: [] };
  return {
    cursor: { stage: 'apply', blocks, rows: staged.length, block: 0, offset: 0, results: emptyResults(), report },
    phase: 'apply',
    done: 0,
    total: staged.length,
  };
}

function bestOf(year: number, categories: string[]): { category: string; percent: number } | null {
  let best: { category: string; percent: number } | null = null;
  for (const c of categories) {
    const rule = yearRule(year, c);
    if (typeof rule === 'object' && (!best || rule.percent > best.percent)) best = { category: c, percent: rule.percent };
  }
  return best;
}

/** A person registered from a list row (fully assisted, not registered yet). */
function personFromRow(row: StagedRow, jobId: string, now: string): Omit<PersonDoc, '_id'> {
  const parsed = parseId(row.idNumber);
  const ids = protectIdNumber(row.idNumber);
  return {
    name: row.name,
    sex: parsed.sex,
    birthDateCipher: encryptIdNumber(parsed.birthDate),
    idHash: ids.idHash,
    idKind: 'id',
    idMasked: ids.idMasked,
    idCipher: ids.idCipher,
    // [interpretation] the departments' lists are of Hefei residents registered here (hukou);
    // the person's own registration later corrects any fact through updatePersonFacts.
    hukou: 'local',
    district: row.district ?? parsed.district,
    community: row.community,
    // [interpretation] the list vouches for eligibility: not in employee insurance, not enrolled elsewhere.
    answers: { employeeInsured: false, enrolledElsewhere: false },
    newborn: false,
    verification: null,
    createdAt: now,
    createdBy: `list:${jobId}`,
  };
}

/** One apply step: up to 100 staged rows. */
async function applyStep(deps: Deps, job: JobDoc<ListImportInput, Cursor, ListImportReport>, cursor: Cursor): Promise<StepResult<Cursor, ListImportReport>> {
  const year = job.input.benefitYear;
  const now = deps.clock.now().toISOString();
  const blockRows = await readBlock<StagedRow>(deps, job._id, cursor.block);
  const rows = blockRows.slice(cursor.offset, cursor.offset + STEP_ROWS);
  const results = { ...cursor.results };
  const timing = cursor.report.timing;
  const hashes = rows.map((r) => hashIdNumber(r.idNumber));

  // 1. The list entries (deterministic ids: a repeated step inserts nothing).
  const entries: ListEntryDoc[] = rows.map((r, i) => ({
    _id: listEntryId(year, hashes[i], r.category),
    idHash: hashes[i],
    benefitYear: year,
    category: r.category,
    source: `${job.starter.name}（${timing.kind === 'monthly_change' ? '月度变动名单' : timing.kind === 'initial' ? '初始名单' : '新增名单'}）`,
    name: r.name,
    idMasked: maskId(r.idNumber),
    district: r.district,
    township: r.township,
    communityId: r.community?.id ?? null,
    communityName: r.communityName,
    sentBy: job.starter.orgId,
    jobId: job._id,
    late: timing.late,
    listKind: timing.kind,
    importedAt: now,
  }));
  const written = await insertMissingReturning<ListEntryDoc>(deps, C.assistanceLists, entries as unknown as Array<Record<string, unknown> & { _id: string }>, { jobId: true });
  const ours = new Set([...written.inserted, ...written.existing.filter((e) => e.jobId === job._id).map((e) => e._id)]);
  results.listed += entries.filter((e) => ours.has(e._id)).length;
  results.alreadyListed += entries.filter((e) => !ours.has(e._id)).length;
  results.unresolvedCommunities += rows.filter((r) => !r.community).length;

  // 2. Who they are, every category they have this year, and their enrollments.
  const persons = await deps.db.find<PersonDoc>(C.persons, { idHash: deps.db.cmd.in(hashes) }, { limit: 100 });
  const personByHash = new Map(persons.map((p) => [p.idHash, p]));
  // An earlier list's category for the same person and year: its mobilization entry (read by id;
  // a fully assisted earlier category shows as the assisted_covered enrollment instead).
  const earlier = await deps.db.find<MobilizationDoc>(C.mobilization, { _id: deps.db.cmd.in(hashes.map((h) => mobilizationId(year, h))) }, { limit: 100, fields: { _id: true, idHash: true, category: true } });
  const categoriesByHash = new Map<string, string[]>();
  for (let i = 0; i < rows.length; i++) categoriesByHash.set(hashes[i], [rows[i].category]);
  for (const m of earlier) categoriesByHash.get(m.idHash)?.push(m.category);
  const enrollments = persons.length
    ? await deps.db.find<EnrollmentDoc & { assistedByJob?: string }>(C.enrollments, { _id: deps.db.cmd.in(persons.map((p) => enrollmentId(p._id, year))) }, { limit: 100 })
    : [];
  const enrollmentOf = new Map(enrollments.map((e) => [e.personId, e]));

  const mobilization: MobilizationDoc[] = [];
  const reconciliation: ReconciliationDoc[] = [];
  const covered: Covered[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const idHash = hashes[i];
    const best = bestOf(year, categoriesByHash.get(idHash) ?? [row.category]);
    if (!best) continue;
    const due = payableWith(year, best.percent) ?? 0;
    let person = personByHash.get(idHash) ?? null;
    const enrollment = person ? enrollmentOf.get(person._id) ?? null : null;
    const paidFen = enrollment && PAID_STATES.includes(enrollment.status) ? enrollment.amountFen ?? 0 : 0;
    const paid = !!enrollment && PAID_STATES.includes(enrollment.status);
    const where = { district: row.district, township: row.township, communityId: row.community?.id ?? null, communityName: row.communityName };

    if (paid) {
      if (enrollment!.status === 'assisted_covered') {
        // A step repeated after a crash finds its own enrollment: it goes through coverAll again,
        // which counts it as when it was written and finishes what the crash cut short (its audit
        // entries and the progress counter, both once per key).
        if (enrollment!.assistedByJob === job._id) covered.push({ row, idHash, category: best.category, person, enrollment });
        else results.alreadyCovered++;
      } else if (paidFen > due) {
        reconciliation.push({
          _id: reconciliationId(year, person!._id),
          benefitYear: year,
          personId: person!._id,
          idHash,
          name: row.name,
          idMasked: maskId(row.idNumber),
          category: best.category,
          percent: best.percent,
          paidFen,
          dueFen: due,
          differenceFen: paidFen - due,
          outTradeNo: enrollment!.outTradeNo,
          ...where,
          sentBy: job.starter.orgId,
          jobId: job._id,
          status: 'open',
          createdAt: now,
        });
      }
      continue;
    }
    if (best.percent >= 100) {
      if (enrollment?.status === 'awaiting_payment') {
        results.awaitingPayment++;
        continue;
      }
      covered.push({ row, idHash, category: best.category, person, enrollment });
      continue;
    }
    mobilization.push({
      _id: mobilizationId(year, idHash),
      benefitYear: year,
      idHash,
      personId: person?._id ?? null,
      name: row.name,
      idMasked: maskId(row.idNumber),
      category: best.category,
      percent: best.percent,
      payableFen: due,
      ...where,
      sentBy: job.starter.orgId,
      jobId: job._id,
      status: 'open',
      workedAt: null,
      workedBy: null,
      note: null,
      createdAt: now,
    });
  }
  if (covered.length) {
    const enrolled = await coverAll(deps, job, covered, now);
    results.personsCreated += enrolled.personsCreated;
    results.autoEnrolled += enrolled.autoEnrolled;
  }
  if (mobilization.length) {
    const written = await insertMissingReturning<MobilizationDoc>(deps, C.mobilization, mobilization as unknown as Array<Record<string, unknown> & { _id: string }>, { jobId: true, payableFen: true });
    const inserted = new Set(written.inserted);
    for (const m of mobilization) {
      const stored = inserted.has(m._id) ? m : written.existing.find((f) => f._id === m._id);
      if (stored?.jobId === job._id) results.mobilization++;
      // On an earlier list with a less favourable category: the amount the worker quotes follows the best one.
      else if (stored && stored.payableFen > m.payableFen) await deps.db.update(C.mobilization, m._id, { category: m.category, percent: m.percent, payableFen: m.payableFen });
    }
  }
  if (reconciliation.length) {
    const written = await insertMissingReturning<ReconciliationDoc>(deps, C.reconciliation, reconciliation as unknown as Array<Record<string, unknown> & { _id: string }>, { jobId: true });
    results.reconciliation += written.inserted.length + written.existing.filter((f) => f.jobId === job._id).length;
  }

  let { block, offset } = cursor;
  offset += rows.length;
  if (offset >= blockRows.length) {
    block++;
    offset = 0;
  }
  const done = Math.min(cursor.rows, block * BLOCK_ROWS + offset);
  const next: Cursor = { ...cursor, block, offset, results };
  if (block >= cursor.blocks) return { cursor: next, phase: 'done', done: cursor.rows, finished: { report: { ...cursor.report, results } } };
  return { cursor: next, done };
}

interface Covered {
  row: StagedRow;
  idHash: string;
  category: string;
  person: PersonDoc | null;
  enrollment: (EnrollmentDoc & { assistedByJob?: string }) | null;
}

/** A list-registered person's id: deterministic, so a repeated step inserts nobody twice. */
const listPersonId = (idHash: string) => `pl-${short(`person|${idHash}`)}`;

/**
 * The fully assisted rows of a step, in batches: persons registered from the list where none
 * exists, enrollments written as assisted_covered, their audit entries. Counts what this job did
 * (its tags), so a repeated step counts the same.
 */
async function coverAll(deps: Deps, job: JobDoc<ListImportInput, Cursor, ListImportReport>, covered: Covered[], now: string): Promise<{ personsCreated: number; autoEnrolled: number }> {
  const year = job.input.benefitYear;
  const tag = `list:${job._id}`;
  const newPersons = covered.filter((c) => !c.person).map((c) => ({ _id: listPersonId(c.idHash), ...personFromRow(c.row, job._id, now) }));
  if (newPersons.length) {
    await insertMissingReturning(deps, C.persons, newPersons as unknown as Array<Record<string, unknown> & { _id: string }>, {});
    // Read back by idHash: a resident who registered meanwhile keeps their own record.
    const got = await deps.db.find<PersonDoc>(C.persons, { idHash: deps.db.cmd.in(newPersons.map((p) => p.idHash)) }, { limit: 100 });
    for (const c of covered) if (!c.person) c.person = got.find((p) => p.idHash === c.idHash) ?? null;
  }
  const registered = covered.filter((c) => c.person?.createdBy === tag);
  // Written by this job in a step the crash interrupted: enrolled already, logged and counted maybe not.
  const ours = covered.filter((c) => c.enrollment?.status === 'assisted_covered' && c.enrollment.assistedByJob === job._id);
  const fresh = [...covered.filter((c) => c.person && !c.enrollment), ...ours];
  const enrollmentDocs = fresh.filter((c) => !c.enrollment).map((c) => ({ _id: enrollmentId(c.person!._id, year), ...assistedEnrollment(c.person!._id, year, c.category, job._id, now) }));
  const written = await insertMissingReturning<EnrollmentDoc & { assistedByJob?: string }>(deps, C.enrollments, enrollmentDocs, { status: true, assistedByJob: true });
  const enrolled = new Set([
    ...written.inserted,
    ...written.existing.filter((e) => e.status === 'assisted_covered' && e.assistedByJob === job._id).map((e) => e._id),
    ...ours.map((c) => c.enrollment!._id),
  ]);
  // An enrollment left open (an order that expired): moved over one by one in a transaction.
  for (const c of covered.filter((x) => x.person && x.enrollment?.status === 'open')) {
    await enrollAssisted(deps, c.person!._id, year, c.category, job._id, now);
    enrolled.add(enrollmentId(c.person!._id, year));
  }
  const audits = [
    ...registered.map((c) => ({ entry: { entity: 'person' as const, entityId: c.person!._id, personIds: [c.person!._id], from: null, to: 'registered', reason: `registered from the ${categoryLabel(c.category)} list (${job._id})` }, onceKey: `person_from_list_${c.person!._id}` })),
    ...fresh
      .filter((c) => enrolled.has(enrollmentId(c.person!._id, year)))
      .map((c) => {
        const id = enrollmentId(c.person!._id, year);
        return { entry: { entity: 'enrollment' as const, entityId: id, personIds: [c.person!._id], from: null, to: 'assisted_covered', reason: `fully assisted (${categoryLabel(c.category)}): enrolled with nothing to pay (${job._id})` }, onceKey: `enrollment_assisted_${id}` };
      }),
  ];
  await appendSystemAuditBatch(deps, audits);
  // The progress table's counter (issue 13), once per person and year (countEnrolled is idempotent).
  for (const c of fresh) if (enrolled.has(enrollmentId(c.person!._id, year))) await countEnrolled(deps, c.person!._id, year);
  return { personsCreated: registered.length, autoEnrolled: enrolled.size };
}

function assistedEnrollment(personId: string, year: number, category: string, jobId: string, now: string) {
  return { personId, benefitYear: year, status: 'assisted_covered', outTradeNo: null, amountFen: 0, paidAt: null, expectedSyncBy: null, createdAt: now, updatedAt: now, assistedBy: category, assistedByJob: jobId };
}

/**
 * Enrolled with nothing to pay (a fully assisted person): the enrollment of the year written as
 * `assisted_covered` with amount 0 — the same record the ¥0 特困 path of the home page reads —
 * through the unique (person, year) id; an `open` one (an order expired) is moved over.
 */
export async function enrollAssisted(deps: Deps, personId: string, year: number, category: string, jobId: string, now: string): Promise<void> {
  const _id = enrollmentId(personId, year);
  const doc = assistedEnrollment(personId, year, category, jobId, now);
  let from: string | null = null;
  const moved = await deps.db.transaction(async (tx) => {
    const existing = await tx.get<EnrollmentDoc>(C.enrollments, _id);
    if (!existing) {
      await tx.set(C.enrollments, _id, doc);
      return true;
    }
    if (existing.status !== 'open') return false;
    from = 'open';
    await tx.update(C.enrollments, _id, { status: 'assisted_covered', amountFen: 0, outTradeNo: null, updatedAt: now, assistedBy: category, assistedByJob: jobId });
    return true;
  });
  if (moved) {
    await appendAudit(deps, { entity: 'enrollment', entityId: _id, from, to: 'assisted_covered', actor: 'system', reason: `fully assisted (${categoryLabel(category)}): enrolled with nothing to pay (${jobId})` }, `enrollment_assisted_${_id}`);
    // The progress table's counter (issue 13; a crash before this line is made up by the recount job).
    await countEnrolled(deps, personId, year);
  }
}

export const listImport = defineJobKind<ListImportInput, Cursor | null, ListImportReport>({
  kind: LIST_IMPORT,
  async step(deps, job) {
    if (!job.cursor) return parseStep(deps, job as JobDoc<ListImportInput, Cursor, ListImportReport>);
    return applyStep(deps, job as JobDoc<ListImportInput, Cursor, ListImportReport>, job.cursor);
  },
  async finish(deps, job) {
    const blocks = job.cursor?.blocks ?? 0;
    await dropStaged(deps, job._id, blocks);
    // The file held plain ID numbers: gone once imported or rejected (the report keeps masks).
    await deps.storage.remove([job.input.fileID]).catch(() => undefined);
  },
});

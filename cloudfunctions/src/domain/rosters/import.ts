/**
 * Roster upload as a job (domain/jobs): a university or school sends its students for a benefit
 * year; the file is read once (files/table.ts) and checked row by row, the good rows staged in
 * encrypted blocks (files/staging.ts), checked against other schools' rosters block by block,
 * and — only when no row has a problem — written as pending entries (all or nothing per file, as
 * the departments' lists). The same file again (same organisation, year and SHA-256) is the same
 * job with the same report: nothing is written twice. Entries have deterministic ids
 * (rosterEntryId), so a step repeated after a crash inserts only what is missing.
 *
 * Phases: stage (read, check each row, stage) → check (other rosters, per block) → apply (insert
 * per block) → done. Report: rows, accepted, new entries, students already on this school's
 * roster from an earlier file, problems by code and the first 200 with their line.
 */
import type { RosterImportReport } from '../../contracts/staffRoster';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { Deps } from '../context';
import { readOwnUpload } from '../files/uploads';
import { cell, mapHeaders, readTable } from '../files/table';
import { dropStaged, readBlock, stageRows } from '../files/staging';
import { defineJobKind, insertMissing, JobDoc } from '../jobs/jobs';
import type { OrgKind } from '../staff/organisations';
import { ROSTER, rosterEntryId, RosterEntryDoc } from './entries';
import { checkRow, newFileSeen, RosterColumn, ROSTER_COLUMNS, RosterRow, RowError } from './rows';

export const ROSTER_IMPORT = 'roster_import';
/** A university has tens of thousands of students; a file above this is split (the job stays within its steps). */
export const MAX_ROSTER_ROWS = 60_000;
const LISTED_ERRORS = 200;

export interface RosterImportInput {
  fileID: string;
  fileName: string;
  sha256: string;
  benefitYear: number;
  orgId: string;
  orgKind: Extract<OrgKind, 'university' | 'school'>;
  orgName: string;
  district: string | null;
  /** The starter's openid: the file must lie in their own upload folder. */
  uploaderOpenid: string;
}

interface Cursor {
  phase: 'check' | 'apply';
  blocks: number;
  block: number;
  rows: number;
  accepted: number;
  errorCount: number;
  byCode: Record<string, number>;
  errors: RowError[];
  newEntries: number;
  alreadyListed: number;
  faculties: string[];
}

function note(c: Cursor, e: RowError) {
  c.errorCount++;
  c.byCode[e.code] = (c.byCode[e.code] ?? 0) + 1;
  if (c.errors.length < LISTED_ERRORS) c.errors.push(e);
}

function report(input: RosterImportInput, c: Cursor, imported: boolean): RosterImportReport {
  return {
    fileName: input.fileName,
    benefitYear: input.benefitYear,
    orgName: input.orgName,
    imported,
    rows: c.rows,
    accepted: imported ? c.accepted : 0,
    newEntries: c.newEntries,
    alreadyListed: c.alreadyListed,
    faculties: c.faculties.length,
    errorCount: c.errorCount,
    errorsByCode: c.byCode,
    errors: c.errors.sort((a, b) => a.line - b.line),
  };
}

/** Stage: read the file once, check every row on its own and against the file, stage the good ones. */
async function stage(deps: Deps, job: JobDoc<RosterImportInput, Cursor, RosterImportReport>): Promise<Cursor> {
  const { bytes, sha256 } = await readOwnUpload(deps, job.input.uploaderOpenid, job.input.fileID);
  // The file was overwritten after the upload started the job: what was checked is not what is here.
  if (sha256 !== job.input.sha256) throw new AppError('FILE_CHANGED', '文件在导入过程中被替换，请重新上传');
  const table = await readTable(bytes, { maxRows: MAX_ROSTER_ROWS });
  const mapped = mapHeaders(table.headers, ROSTER_COLUMNS);
  if (mapped.missing.length) throw new AppError('MISSING_COLUMNS', `文件缺少以下列：${mapped.missing.join('、')}（第1行应为表头：学号、姓名、身份证号码、院系、年级、是否新生）`);
  const c: Cursor = { phase: 'check', blocks: 0, block: 0, rows: table.rows.length, accepted: 0, errorCount: 0, byCode: {}, errors: [], newEntries: 0, alreadyListed: 0, faculties: [] };
  const seen = newFileSeen();
  const good: RosterRow[] = [];
  const faculties = new Set<string>();
  for (const r of table.rows) {
    const cells = {} as Record<RosterColumn, string>;
    for (const col of Object.keys(ROSTER_COLUMNS) as RosterColumn[]) cells[col] = cell(r, mapped.columns[col]);
    if (Object.values(cells).every((v) => !v.trim())) continue; // a blank line
    const checked = checkRow(r.rowNumber, cells, seen);
    if ('errors' in checked) checked.errors.forEach((e) => note(c, e));
    else {
      good.push(checked.row);
      faculties.add(checked.row.faculty);
    }
  }
  if (good.length === 0 && c.errorCount === 0) throw new AppError('FILE_EMPTY', '文件中没有数据行');
  c.rows = table.rows.filter((r) => r.cells.some((x) => String(x ?? '').trim())).length;
  c.accepted = good.length;
  c.faculties = [...faculties].sort((a, b) => a.localeCompare(b, 'zh'));
  c.blocks = await stageRows(deps, job._id, good);
  return c;
}

/** Check: a student on another school's roster of the year is a problem of this file. */
async function checkBlock(deps: Deps, job: JobDoc<RosterImportInput, Cursor, RosterImportReport>, c: Cursor): Promise<void> {
  const rows = await readBlock<RosterRow>(deps, job._id, c.block);
  for (let i = 0; i < rows.length; i += 100) {
    const part = rows.slice(i, i + 100);
    const ids = part.map((r) => rosterEntryId(job.input.benefitYear, r.idHash));
    const found = await deps.db.find<Pick<RosterEntryDoc, '_id' | 'orgId'>>(ROSTER.entries, { _id: deps.db.cmd.in(ids) }, { limit: 100, fields: { _id: true, orgId: true } });
    const other = new Set(found.filter((f) => f.orgId !== job.input.orgId).map((f) => f._id));
    part.forEach((r, k) => {
      if (other.has(ids[k])) note(c, { line: r.line, field: 'idNumber', code: 'ON_OTHER_ROSTER', message: '该学生已在其他学校本年度的名单中，请核对' });
    });
  }
}

async function applyBlock(deps: Deps, job: JobDoc<RosterImportInput, Cursor, RosterImportReport>, c: Cursor): Promise<void> {
  const rows = await readBlock<RosterRow>(deps, job._id, c.block);
  const now = deps.clock.now().toISOString();
  const { input } = job;
  for (let i = 0; i < rows.length; i += 100) {
    const docs: RosterEntryDoc[] = rows.slice(i, i + 100).map((r) => ({
      _id: rosterEntryId(input.benefitYear, r.idHash),
      orgId: input.orgId,
      orgKind: input.orgKind,
      orgName: input.orgName,
      district: input.district,
      benefitYear: input.benefitYear,
      studentNo: r.studentNo,
      name: r.name,
      idHash: r.idHash,
      idMasked: r.idMasked,
      idCipher: r.idCipher,
      faculty: r.faculty,
      grade: r.grade,
      newStudent: r.newStudent,
      importId: job._id,
      status: 'pending',
      personId: null,
      outTradeNo: null,
      paidAt: null,
      collectedOn: null,
      batchId: null,
      benefitStart: null,
      createdAt: now,
      updatedAt: now,
    }));
    const inserted = await insertMissing(deps, ROSTER.entries, docs as unknown as Array<Record<string, unknown> & { _id: string }>);
    c.newEntries += inserted;
    c.alreadyListed += docs.length - inserted;
  }
}

/** The import's outcome in the audit log, once per job (a repeated last step logs nothing new). */
async function audited(deps: Deps, job: JobDoc<RosterImportInput, Cursor, RosterImportReport>, c: Cursor, imported: boolean): Promise<void> {
  const what = imported ? `${c.rows} rows, ${c.newEntries} new, ${c.alreadyListed} already listed` : `${c.rows} rows, ${c.errorCount} problem(s), nothing written`;
  await appendAudit(
    deps,
    { entity: 'student_roster', entityId: job._id, from: null, to: imported ? 'imported' : 'rejected', actor: job.input.uploaderOpenid, reason: `${job.input.orgName} ${job.input.benefitYear} roster ${job.input.sha256.slice(0, 12)}: ${what}` },
    `roster:${job._id}:${imported ? 'imported' : 'rejected'}`,
  );
}

export const rosterImport = defineJobKind<RosterImportInput, Cursor, RosterImportReport>({
  kind: ROSTER_IMPORT,
  async step(deps, job) {
    if (!job.cursor) {
      const c = await stage(deps, job);
      return { cursor: c, phase: 'check', done: 0, total: c.blocks * 2 };
    }
    const c: Cursor = { ...job.cursor, byCode: { ...job.cursor.byCode }, errors: [...job.cursor.errors] };
    if (c.phase === 'check') {
      if (c.block < c.blocks) await checkBlock(deps, job, c);
      c.block++;
      if (c.block < c.blocks) return { cursor: c, done: c.block };
      // All or nothing: a file with any problem writes nothing.
      if (c.errorCount > 0) {
        await audited(deps, job, c, false);
        return { cursor: c, phase: 'rejected', done: c.blocks * 2, finished: { report: report(job.input, c, false) } };
      }
      return { cursor: { ...c, phase: 'apply', block: 0 }, phase: 'apply', done: c.blocks };
    }
    await applyBlock(deps, job, c);
    c.block++;
    if (c.block < c.blocks) return { cursor: c, done: c.blocks + c.block };
    await audited(deps, job, c, true);
    return { cursor: c, phase: 'done', done: c.blocks * 2, finished: { report: report(job.input, c, true) } };
  },
  async finish(deps, job) {
    if (job.cursor) await dropStaged(deps, job._id, job.cursor.blocks);
  },
});

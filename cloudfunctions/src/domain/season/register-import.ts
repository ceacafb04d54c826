/**
 * Importing the household-register extract (户籍人口: ID number, name, district, township,
 * community; csv or xlsx, up to 10 MB ≈ 150,000 rows a file — a city's extract is many files)
 * as a job on the jobs framework: `stage` parses the file once, as a stream (files/table.ts
 * readTableInBlocks: memory does not grow with the file), into encrypted staged blocks,
 * `apply` writes one block (500 rows) a step into `hukou_register` (by ID hash; a later extract
 * overwrites what changed), `count` recounts the population per district by aggregation. Each
 * step is idempotent, so a run killed anywhere resumes from the saved cursor (jobs timer).
 */
import { AppError } from '../../platform/errors';
import type { Acting, Deps } from '../context';
import { encryptText, hashIdNumber, maskId } from '../identity/id-protection';
import { advanceJob, defineJobKind, jobForStaff, jobView, startJob, type JobDoc } from '../jobs/jobs';
import { blockCount, dropStaged, readBlock, writeBlock } from '../files/staging';
import { cell, mapHeaders, readTableInBlocks, type ColumnSpec, type HeaderMapping } from '../files/table';
import { readOwnUpload, uploadTicket } from '../files/uploads';
import { parseId } from '../policy-port';
import { attachmentDistricts } from '../staff/organisations';
import { requireStaff } from '../staff/scope';
import { HUKOU_COUNTS, HUKOU_REGISTER } from './register';

export const HUKOU_IMPORT = 'hukou_import';
/** A 10 MB csv holds ~150,000 register rows; larger extracts come as several files. */
export const MAX_REGISTER_ROWS = 200_000;
const BLOCK = 500;
const ADVANCE_MS = 4_000;

const COLUMNS: Record<'idNumber' | 'name' | 'district' | 'township' | 'community', ColumnSpec> = {
  idNumber: { names: ['身份证号', '身份证号码', '公民身份号码', '证件号码'], required: true },
  name: { names: ['姓名'], required: true },
  district: { names: ['区县', '县(市)区', '所属区县', '统筹区'], required: true },
  township: { names: ['乡镇', '乡镇(街道)', '街道', '乡镇街道'], required: true },
  community: { names: ['社区', '社区(村)', '村(社区)', '村居'], required: true },
};

interface StagedRow {
  n: number;
  id: string;
  name: string;
  district: string;
  township: string;
  community: string;
}

export interface RegisterDoc {
  _id: string;
  idHash: string;
  idMasked: string;
  name: string;
  district: string;
  township: string;
  community: string;
  /** Encrypted: beside the mask and the district, a plain birth year would narrow the number to a few dozen. */
  birthYearCipher: string;
  jobId: string;
  updatedAt: string;
}

interface Input {
  fileID: string;
  openid: string;
}
interface Cursor {
  phase: 'apply' | 'count';
  blocks: number;
  rows: number;
  block: number;
  added: number;
  updated: number;
  invalid: number;
  problems: Array<{ row: number; reason: string }>;
}
export interface RegisterReport {
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  invalid: number;
  problems: Array<{ row: number; reason: string }>;
  districts: Array<{ district: string; count: number }>;
}

const DISTRICTS = new Set(attachmentDistricts().map((d) => d.name));
const trimmed = (s: string) => s.replace(/[\s\u3000]+/g, '');

function checkRow(r: StagedRow): { ok: true; idNumber: string; birthYear: number } | { ok: false; reason: string } {
  let parsed;
  try {
    parsed = parseId(r.id);
  } catch {
    return { ok: false, reason: '身份证号码不正确' };
  }
  if (!r.name) return { ok: false, reason: '缺少姓名' };
  if (!DISTRICTS.has(r.district)) return { ok: false, reason: `区县“${r.district}”不在合肥市统筹区之列` };
  if (!r.township || !r.community) return { ok: false, reason: '缺少乡镇（街道）或社区（村）' };
  return { ok: true, idNumber: r.id.trim().toUpperCase(), birthYear: Number(parsed.birthDate.slice(0, 4)) };
}

export const hukouImport = defineJobKind<Input, Cursor, RegisterReport>({
  kind: HUKOU_IMPORT,
  async step(deps, job) {
    const c = job.cursor;
    if (!c) {
      // stage: parse the file once; the rows go to encrypted blocks (they carry ID numbers) as
      // they are read, a block at a time, so the worker never holds the whole extract's rows.
      const bytes = await deps.storage.download(job.input.fileID);
      let columns: HeaderMapping<keyof typeof COLUMNS>['columns'] = {};
      let blocks = 0;
      let rows = 0;
      try {
        await readTableInBlocks(
          bytes,
          { maxRows: MAX_REGISTER_ROWS, blockRows: BLOCK },
          (headers) => {
            const map = mapHeaders(headers, COLUMNS);
            if (map.missing.length) throw new AppError('FILE_COLUMNS_MISSING', `文件缺少列：${map.missing.join('、')}`);
            columns = map.columns;
          },
          async (block) => {
            const staged: StagedRow[] = block.map((r) => ({
              n: r.rowNumber,
              id: trimmed(cell(r, columns.idNumber)),
              name: trimmed(cell(r, columns.name)),
              district: trimmed(cell(r, columns.district)),
              township: trimmed(cell(r, columns.township)),
              community: trimmed(cell(r, columns.community)),
            }));
            await writeBlock(deps, job._id, blocks, staged);
            blocks++;
            rows += staged.length;
          },
        );
      } catch (err) {
        // A file refused part way (too many rows, unreadable further on) leaves no staged rows.
        await dropStaged(deps, job._id, blocks);
        throw err;
      }
      return { cursor: { phase: 'apply', blocks, rows, block: 0, added: 0, updated: 0, invalid: 0, problems: [] }, phase: 'apply', done: 0, total: rows };
    }
    if (c.phase === 'apply') {
      const rows = await readBlock<StagedRow>(deps, job._id, c.block);
      const now = deps.clock.now().toISOString();
      const docs: RegisterDoc[] = [];
      const problems = [...c.problems];
      let invalid = 0;
      for (const r of rows) {
        const checked = checkRow(r);
        if (!checked.ok) {
          invalid++;
          if (problems.length < 50) problems.push({ row: r.n, reason: checked.reason });
          continue;
        }
        const idHash = hashIdNumber(checked.idNumber);
        docs.push({ _id: idHash, idHash, idMasked: maskId(checked.idNumber), name: r.name, district: r.district, township: r.township, community: r.community, birthYearCipher: encryptText(String(checked.birthYear)), jobId: job._id, updatedAt: now });
      }
      let added = 0;
      let updated = 0;
      for (let i = 0; i < docs.length; i += 100) {
        const chunk = docs.slice(i, i + 100);
        const found = new Map(
          (await deps.db.find<RegisterDoc>(HUKOU_REGISTER, { _id: deps.db.cmd.in(chunk.map((d) => d._id)) }, { limit: 100, fields: { _id: true, name: true, district: true, township: true, community: true } })).map((d) => [d._id, d]),
        );
        const fresh = chunk.filter((d) => !found.has(d._id));
        if (fresh.length) await deps.db.insertMany(HUKOU_REGISTER, fresh);
        added += fresh.length;
        for (const d of chunk) {
          const f = found.get(d._id);
          if (f && (f.name !== d.name || f.district !== d.district || f.township !== d.township || f.community !== d.community)) {
            const { _id: _unused, ...rest } = d;
            await deps.db.set(HUKOU_REGISTER, d._id, rest);
            updated++;
          }
        }
      }
      const next: Cursor = { ...c, block: c.block + 1, added: c.added + added, updated: c.updated + updated, invalid: c.invalid + invalid, problems };
      if (next.block >= c.blocks) next.phase = 'count';
      return { cursor: next, phase: next.phase, done: Math.min(c.rows, next.block * BLOCK), total: c.rows };
    }
    // count: the database groups the register by district (one aggregation per import, not per view).
    const groups = await deps.db.aggregate<{ _id: string; count: number }>(HUKOU_REGISTER, [{ $group: { _id: '$district', count: { $sum: 1 } } }]);
    const now = deps.clock.now().toISOString();
    for (const g of groups) await deps.db.set(HUKOU_COUNTS, g._id, { district: g._id, count: g.count, updatedAt: now });
    const report: RegisterReport = {
      rows: c.rows,
      added: c.added,
      updated: c.updated,
      unchanged: c.rows - c.invalid - c.added - c.updated,
      invalid: c.invalid,
      problems: c.problems,
      districts: groups.map((g) => ({ district: g._id, count: g.count })).sort((a, b) => a.district.localeCompare(b.district)),
    };
    return { cursor: c, phase: 'done', done: c.rows, total: c.rows, finished: { report } };
  },
  async finish(deps, job) {
    const c = job.cursor as Cursor | null;
    if (c) await dropStaged(deps, job._id, c.blocks || blockCount(c.rows, BLOCK));
  },
});

export function registerUploadTicket(deps: Acting, ext: 'csv' | 'xlsx') {
  return requireStaff(deps, ['city']).then(() => uploadTicket(deps.caller.openid, ext));
}

export async function startRegisterImport(deps: Acting, fileID: string) {
  const staff = await requireStaff(deps, ['city']);
  const { sha256 } = await readOwnUpload(deps, deps.caller.openid, fileID);
  const job = await startJob(deps, staff, hukouImport, { key: sha256, input: { fileID, openid: deps.caller.openid }, phase: 'stage' });
  return jobView(((await advanceJob(deps, job._id, { budgetMs: ADVANCE_MS })) ?? job) as JobDoc<unknown, unknown, RegisterReport>);
}

export async function registerImportJob(deps: Deps & Acting, jobId: string) {
  const staff = await requireStaff(deps, ['city']);
  await jobForStaff(deps, staff, jobId, { kinds: [HUKOU_IMPORT] });
  const job = (await advanceJob(deps, jobId, { budgetMs: ADVANCE_MS })) ?? (await jobForStaff(deps, staff, jobId, { kinds: [HUKOU_IMPORT] }));
  return jobView(job as JobDoc<unknown, unknown, RegisterReport>);
}

/**
 * The daily exchange with the insurance system (医保信息平台), as two job kinds on the jobs
 * framework (domain/jobs):
 *
 *  - `insurance_export` (one per batch): collects the paid enrollments not yet registered (100 per
 *    step) into `insurance_items` (_id `<batch>:<enrollment>`: an enrollment is in a batch once),
 *    marks each enrollment `sync.state = exported`, then writes the export file from the items in
 *    _id order (the same bytes however often it is rebuilt) and hands it over. A run killed
 *    anywhere repeats at most one step and sends the same file under the same batch number.
 *  - `insurance_answer` (one per batch, started when the platform's answer is there): applies the
 *    answer rows, 200 per step: registered → the enrollment is `enrolled` with the registration
 *    date; refused → `sync.state = refused` with the reason. Applying a row twice changes nothing.
 *
 * An enrollment is due for export when paid and never exported, when staff corrected a refusal
 * (`sync.state = due`), or when its answer is missing INSURANCE_ANSWER_WAIT_DAYS working days
 * after the export (default 3). Every change of an enrollment is audited once.
 *
 *   paid_pending_sync ─export─▶ (sync: exported) ─registered─▶ enrolled (registeredOn)
 *                                     │ refused                    ▲
 *                                     ▼                            │
 *                               (sync: refused) ─staff resubmit─▶ (sync: due) ─export─▶ …
 */
import { createHash } from 'crypto';
import { DuplicateKeyError } from '../../platform/database';
import { AppError } from '../../platform/errors';
import type { InsurancePlatformPort } from '../../platform/ports';
import { appendAudit } from '../audit/audit-log';
import { addWorkingDays, makeCalendar } from '../calendar/working-days';
import { C, Deps } from '../context';
import { shanghaiDateOf } from '../dates';
import type { EnrollmentDoc } from '../enrollments/enrollments';
import { decryptIdNumber, encryptIdNumber } from '../identity/id-protection';
import { defineJobKind, insertMissing, JobDoc, startJob } from '../jobs/jobs';
import { birthDateOf, PersonDoc } from '../persons/persons';
import type { Staff } from '../staff/scope';
import { CHANNEL_TEXT, ExportRow, exportFileName, HUKOU_TEXT, ID_TYPE, readAnswerFile, writeExportFile } from './file-layout';

export const INSURANCE = { batches: 'insurance_batches', items: 'insurance_items' } as const;

/** Where an enrollment stands with the insurance system (absent: never exported). */
export interface SyncState {
  state: 'exported' | 'refused' | 'due' | 'registered';
  batchNo: string | null;
  itemId: string | null;
  exportedOn: string | null;
  /** The last working day we wait for the answer before exporting again. */
  answerDueBy: string | null;
  attempts: number;
  refusal: { code: string; text: string; on: string } | null;
  correctedAt?: string | null;
  correctedBy?: string | null;
}

export type SyncedEnrollment = EnrollmentDoc & { sync?: SyncState | null; registeredOn?: string | null };

export interface BatchDoc {
  _id: string; // the batch number
  workDate: string;
  origin: 'timer' | 'staff';
  /**
   * collecting → submitted (waiting for the answer) → answered → done; empty: nothing was due;
   * failed: its export job failed before the platform had it (its rows are due again at once).
   */
  state: 'collecting' | 'submitted' | 'answered' | 'done' | 'empty' | 'failed';
  exportJobId: string;
  answerJobId: string | null;
  rows: number;
  /** The batch took its maximum of rows: more are due (the next run opens another batch). */
  full: boolean;
  fileName: string | null;
  fileSha256: string | null;
  submittedAt: string | null;
  answeredAt: string | null;
  registered: number;
  refused: number;
  createdAt: string;
}

export interface ExportItem {
  _id: string;
  batchNo: string;
  enrollmentId: string;
  personId: string;
  state: 'exported' | 'registered' | 'refused';
  /**
   * The row as sent, the ID number and the birth date as their ciphers (decrypted only into the
   * file): a plain birth date beside the person's masked ID number (first 3 + last 4) would let
   * the number be rebuilt (DESIGN.md). `birthDate` is only on items stored before that (read, never written).
   */
  row: Omit<ExportRow, 'seq' | 'idNumber' | 'ref' | 'birthDate'> & { idCipher: string; birthDateCipher?: string; birthDate?: string };
  createdAt: string;
  answeredOn?: string;
  code?: string;
}

export interface ExportReport {
  batchNo: string;
  rows: number;
  full: boolean;
}

export interface AnswerReport {
  batchNo: string;
  registered: number;
  refused: number;
  /** Rows whose 业务流水号 is not in the batch. */
  unknown: number;
  /** Line numbers that did not fit the layout. */
  malformed: number[];
  /** Rows of the batch the answer left out (exported again after the waiting days). */
  unanswered: number;
}

const ALL_MAX_ROWS = 20_000;
/** Enrollments marked (or answer rows applied) at a time: distinct documents, no conflicts. */
const CONCURRENCY = 10;

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Rows per batch file: INSURANCE_BATCH_MAX_ROWS (1–20000, default 5000). */
export function maxRows(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.INSURANCE_BATCH_MAX_ROWS);
  return Number.isInteger(n) && n >= 1 && n <= ALL_MAX_ROWS ? n : 5000;
}

/** Working days to wait for an answer before exporting again: INSURANCE_ANSWER_WAIT_DAYS (1–20, default 3). */
export function answerWaitDays(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.INSURANCE_ANSWER_WAIT_DAYS);
  return Number.isInteger(n) && n >= 1 && n <= 20 ? n : 3;
}

function port(deps: Deps): InsurancePlatformPort {
  const p = deps.insurance;
  if (!p) throw new AppError('CONFIG_MISSING', '系统配置不完整，请联系管理员');
  return p;
}

const today = (deps: Pick<Deps, 'clock'>) => shanghaiDateOf(deps.clock.now());

/** Batches whose export failed before the platform had them: their rows are due again at once. */
async function failedBatches(deps: Pick<Deps, 'db'>): Promise<string[]> {
  const failed = await deps.db.find<BatchDoc>(INSURANCE.batches, { state: 'failed' }, { orderBy: [['createdAt', 'desc']], limit: 20, fields: { _id: true } });
  return failed.map((b) => b._id);
}

function dueFilter(deps: Pick<Deps, 'db'>, date: string, failed: string[]) {
  const _ = deps.db.cmd;
  return _.or([
    { status: 'paid_pending_sync', sync: _.exists(false) },
    { status: 'paid_pending_sync', sync: null },
    { status: 'paid_pending_sync', 'sync.state': 'due' },
    { status: 'paid_pending_sync', 'sync.state': 'exported', 'sync.answerDueBy': _.lt(date) },
    ...(failed.length ? [{ status: 'paid_pending_sync', 'sync.state': 'exported', 'sync.batchNo': _.in(failed) }] : []),
  ]);
}

function isDue(e: SyncedEnrollment, date: string, failed: string[]): boolean {
  if (e.status !== 'paid_pending_sync') return false;
  if (!e.sync) return true;
  if (e.sync.state === 'exported' && e.sync.batchNo && failed.includes(e.sync.batchNo)) return true;
  return e.sync.state === 'due' || (e.sync.state === 'exported' && !!e.sync.answerDueBy && e.sync.answerDueBy < date);
}

/** Whether anything is due for export today (the timer opens no empty batch). */
export async function anythingDue(deps: Pick<Deps, 'db' | 'clock'>): Promise<boolean> {
  return (await deps.db.find(C.enrollments, dueFilter(deps, today(deps), await failedBatches(deps)), { limit: 1, fields: { _id: true } })).length > 0;
}

// ---------------------------------------------------------------- starting a batch

/** The system as a job's starter: the timer has no staff account. */
const TIMER_STARTER = {
  _id: 'system-timer',
  name: '系统定时报送',
  role: 'city',
  org: { _id: 'org-city', parentId: null, district: null },
} as unknown as Staff;

/** Opens the next batch number of the day (YB + date + 01…99) and its export job. */
export async function openBatch(deps: Deps, origin: 'timer' | 'staff', staff: Staff | null): Promise<{ batch: BatchDoc; job: JobDoc }> {
  const workDate = today(deps);
  const existing = await deps.db.find<BatchDoc>(INSURANCE.batches, { workDate }, { orderBy: [['_id', 'desc']], limit: 1 });
  let n = existing[0] ? Number(existing[0]._id.slice(-2)) + 1 : 1;
  for (; n <= 99; n++) {
    const batchNo = `YB${workDate.replace(/-/g, '')}${String(n).padStart(2, '0')}`;
    const now = deps.clock.now().toISOString();
    const job = await startJob(deps, staff ?? TIMER_STARTER, insuranceExport, { key: batchNo, input: { batchNo }, phase: 'collect' });
    const batch: BatchDoc = {
      _id: batchNo,
      workDate,
      origin,
      state: 'collecting',
      exportJobId: job._id,
      answerJobId: null,
      rows: 0,
      full: false,
      fileName: null,
      fileSha256: null,
      submittedAt: null,
      answeredAt: null,
      registered: 0,
      refused: 0,
      createdAt: now,
    };
    try {
      await deps.db.insert(INSURANCE.batches, batch);
      return { batch, job };
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err;
      // Another start took this number at the same moment: it owns the job of that key.
    }
  }
  throw new AppError('TOO_MANY_BATCHES', '今天的报送批次已达上限，请明天再试');
}

/** The batch still collecting (or a full one whose successor is due), if any: one export at a time. */
export async function openExport(deps: Pick<Deps, 'db'>): Promise<BatchDoc | null> {
  for (;;) {
    const [b] = await deps.db.find<BatchDoc>(INSURANCE.batches, { state: 'collecting' }, { orderBy: [['createdAt', 'asc']], limit: 1 });
    if (!b) return null;
    const job = await deps.db.get<JobDoc>(C.jobs, b.exportJobId);
    if (job && job.status !== 'failed') return b;
    // A failed export must not hold up the next one.
    await deps.db.update(INSURANCE.batches, b._id, { state: 'failed' });
  }
}

// ---------------------------------------------------------------- the export job

interface ExportInput {
  batchNo: string;
}
interface ExportCursor {
  phase: 'collect' | 'submit';
}

async function itemCount(deps: Pick<Deps, 'db'>, batchNo: string): Promise<number> {
  return deps.db.count(INSURANCE.items, { batchNo });
}

function rowOf(e: SyncedEnrollment, p: PersonDoc, channel: 'wechat' | 'cash'): ExportItem['row'] {
  return {
    idType: ID_TYPE[p.idKind],
    idCipher: p.idCipher ?? '',
    name: p.name,
    sex: p.sex === 'male' ? '1' : '2',
    birthDateCipher: encryptIdNumber(birthDateOf(p)),
    hukou: HUKOU_TEXT[p.hukou] ?? '',
    benefitYear: e.benefitYear,
    amountFen: e.amountFen ?? 0,
    paidOn: e.paidAt ? shanghaiDateOf(new Date(e.paidAt)) : '',
    channel: CHANNEL_TEXT[channel],
    orderNo: e.outTradeNo ?? '',
    district: p.community?.district ?? p.district ?? '',
    township: p.community?.township ?? '',
    community: p.community?.name ?? '',
  };
}

/** One page of due enrollments into the batch. Returns how many it took (0: nothing left). */
async function collectPage(deps: Deps, batchNo: string, room: number): Promise<number> {
  const date = today(deps);
  const failed = await failedBatches(deps);
  const due = await deps.db.find<SyncedEnrollment>(C.enrollments, dueFilter(deps, date, failed), { orderBy: [['_id', 'asc']], limit: Math.min(100, room) });
  if (due.length === 0) return 0;
  const persons = await deps.db.find<PersonDoc>(C.persons, { _id: deps.db.cmd.in([...new Set(due.map((e) => e.personId))]) }, { limit: 100 });
  const byId = new Map(persons.map((p) => [p._id, p]));
  const orders = await deps.db.find<{ _id: string; channel?: string }>(C.orders, { _id: deps.db.cmd.in(due.map((e) => e.outTradeNo).filter(Boolean) as string[]) }, { limit: 100, fields: { _id: true, channel: true } });
  const channelOf = new Map(orders.map((o) => [o._id, o.channel === 'cash' ? ('cash' as const) : ('wechat' as const)]));
  const wait = answerWaitDays();
  const cal = makeCalendar();
  const now = deps.clock.now().toISOString();
  const ready: Array<{ e: SyncedEnrollment; item: ExportItem }> = [];
  for (const e of due) {
    const person = byId.get(e.personId);
    if (!person || (person.idKind === 'id' && !person.idCipher)) {
      // Cannot be registered without an ID number: left for staff (never silently skipped forever).
      console.warn('[insurance] enrollment without a usable person record left out of the export');
      continue;
    }
    const item: ExportItem = { _id: `${batchNo}:${e._id}`, batchNo, enrollmentId: e._id, personId: e.personId, state: 'exported', row: rowOf(e, person, channelOf.get(e.outTradeNo ?? '') ?? 'wechat'), createdAt: now };
    ready.push({ e, item });
  }
  // The page's items first (a repeated step finds them there and writes none twice), then each
  // enrollment is marked; ten at a time, each its own single-document transaction.
  await insertMissing(deps, INSURANCE.items, ready.map((r) => r.item as unknown as Record<string, unknown> & { _id: string }));
  const marked = await mapLimit(ready, CONCURRENCY, async ({ e, item }) => {
    const flipped = await deps.db.transaction(async (tx): Promise<'exported' | 'already' | 'gone'> => {
      const x = await tx.get<SyncedEnrollment>(C.enrollments, e._id);
      if (x && x.sync?.batchNo === batchNo && x.sync.state === 'exported') return 'already';
      if (!x || !isDue(x, date, failed)) return 'gone';
      const sync: SyncState = {
        state: 'exported',
        batchNo,
        itemId: item._id,
        exportedOn: date,
        answerDueBy: addWorkingDays(date, wait, cal),
        attempts: (x.sync?.attempts ?? 0) + 1,
        refusal: x.sync?.refusal ?? null,
        correctedAt: x.sync?.correctedAt ?? null,
        correctedBy: x.sync?.correctedBy ?? null,
      };
      await tx.update(C.enrollments, e._id, { sync, updatedAt: now });
      return 'exported';
    });
    if (flipped === 'gone') {
      // Paid no more (a reversal between two steps): not in this batch after all.
      await deps.db.remove(INSURANCE.items, item._id);
      return 0;
    }
    await appendAudit(deps, { entity: 'enrollment', entityId: e._id, from: e.sync?.state ? `sync_${e.sync.state}` : 'paid_pending_sync', to: 'sync_exported', actor: 'system', reason: `exported to 医保信息平台 in batch ${batchNo}` }, `ins:${item._id}:exported`);
    return 1;
  });
  return marked.reduce((a: number, b: number) => a + b, 0);
}

/** The export file of the batch, from its items in _id order: the same bytes on every rebuild. */
export async function buildExportFile(deps: Pick<Deps, 'db'>, batchNo: string): Promise<{ content: Buffer; rows: number }> {
  const rows: ExportRow[] = [];
  let last = '';
  for (;;) {
    const page = await deps.db.find<ExportItem>(INSURANCE.items, { batchNo, _id: deps.db.cmd.gt(last) }, { orderBy: [['_id', 'asc']], limit: 100 });
    for (const it of page) {
      const { idCipher, birthDateCipher, birthDate, ...row } = it.row;
      const born = birthDateCipher ? decryptIdNumber(birthDateCipher) : (birthDate ?? '');
      rows.push({ ...row, birthDate: born, seq: rows.length + 1, ref: it._id, idNumber: idCipher ? decryptIdNumber(idCipher) : '' });
    }
    if (page.length < 100) break;
    last = page[page.length - 1]._id;
  }
  return { content: writeExportFile(batchNo, rows), rows: rows.length };
}

export const insuranceExport = defineJobKind<ExportInput, ExportCursor, ExportReport>({
  kind: 'insurance_export',
  async step(deps, job) {
    const { batchNo } = job.input;
    const cursor = job.cursor ?? { phase: 'collect' };
    const cap = maxRows();
    if (cursor.phase === 'collect') {
      const have = await itemCount(deps, batchNo);
      const room = cap - have;
      const took = room > 0 ? await collectPage(deps, batchNo, room) : 0;
      if (took > 0 && have + took < cap) return { cursor: { phase: 'collect' }, phase: 'collect', done: have + took, total: null };
      return { cursor: { phase: 'submit' }, phase: 'submit', done: await itemCount(deps, batchNo), total: null };
    }
    const { content, rows } = await buildExportFile(deps, batchNo);
    const full = rows >= cap;
    const sha = createHash('sha256').update(content).digest('hex');
    if (rows === 0) {
      await deps.db.update(INSURANCE.batches, batchNo, { state: 'empty', rows: 0 });
      return { cursor, phase: 'done', done: 0, total: 0, finished: { report: { batchNo, rows: 0, full: false } } };
    }
    // The same batch number and bytes again after a crash are accepted by the platform as one batch.
    try {
      await port(deps).submitBatch({ batchNo, fileName: exportFileName(batchNo), content });
    } catch (err) {
      // Unreachable for now: a plain error, which the jobs framework retries at its next advance
      // (the jobs timer, every minute) instead of failing the job at once.
      if (err instanceof AppError && err.code === 'INSURANCE_UNAVAILABLE') throw new Error('insurance platform unavailable');
      throw err;
    }
    const batch = await deps.db.get<BatchDoc>(INSURANCE.batches, batchNo);
    if (batch && batch.state === 'collecting') {
      await deps.db.update(INSURANCE.batches, batchNo, { state: 'submitted', rows, full, fileName: exportFileName(batchNo), fileSha256: sha, submittedAt: deps.clock.now().toISOString() });
    }
    return { cursor, phase: 'done', done: rows, total: rows, finished: { report: { batchNo, rows, full } } };
  },
});

// ---------------------------------------------------------------- the answer job

interface AnswerInput {
  batchNo: string;
}
interface AnswerCursor {
  next: number;
  unknown: number;
}

const ANSWER_ROWS_PER_STEP = 200;

async function applyRow(deps: Deps, batchNo: string, row: ReturnType<typeof readAnswerFile>['rows'][number]): Promise<'ok' | 'unknown'> {
  const item = await deps.db.get<ExportItem>(INSURANCE.items, row.ref);
  if (!item || item.batchNo !== batchNo) return 'unknown';
  const now = deps.clock.now().toISOString();
  const on = today(deps);
  if (row.result === 'registered') {
    const from = await deps.db.transaction(async (tx) => {
      const x = await tx.get<SyncedEnrollment>(C.enrollments, item.enrollmentId);
      // Registered whatever batch is the latest: the platform holds the person now.
      if (!x || x.status !== 'paid_pending_sync') return null;
      const sync: SyncState = { ...(x.sync as SyncState), state: 'registered', refusal: null };
      await tx.update(C.enrollments, item.enrollmentId, { status: 'enrolled', registeredOn: row.registeredOn, sync, updatedAt: now });
      return 'paid_pending_sync';
    });
    if (from) {
      await appendAudit(deps, { entity: 'enrollment', entityId: item.enrollmentId, from, to: 'enrolled', actor: 'system', reason: `registered by 医保信息平台 on ${row.registeredOn} (batch ${batchNo})` }, `ins:${row.ref}:registered`);
    }
    if (item.state !== 'registered') await deps.db.update(INSURANCE.items, item._id, { state: 'registered', answeredOn: on });
  } else {
    const refused = await deps.db.transaction(async (tx) => {
      const x = await tx.get<SyncedEnrollment>(C.enrollments, item.enrollmentId);
      // A late refusal of an older batch does not undo a newer export or a registration.
      if (!x || x.status !== 'paid_pending_sync' || x.sync?.itemId !== item._id || x.sync.state !== 'exported') return false;
      const sync: SyncState = { ...(x.sync as SyncState), state: 'refused', refusal: { code: row.code, text: row.text.slice(0, 200), on }, correctedAt: null, correctedBy: null };
      await tx.update(C.enrollments, item.enrollmentId, { sync, updatedAt: now });
      return true;
    });
    if (refused) {
      await appendAudit(deps, { entity: 'enrollment', entityId: item.enrollmentId, from: 'sync_exported', to: 'sync_refused', actor: 'system', reason: `refused by 医保信息平台: ${row.code} (batch ${batchNo})`, level: 'alert' }, `ins:${row.ref}:refused`);
    }
    if (item.state !== 'refused') await deps.db.update(INSURANCE.items, item._id, { state: 'refused', answeredOn: on, code: row.code });
  }
  return 'ok';
}

export const insuranceAnswer = defineJobKind<AnswerInput, AnswerCursor, AnswerReport>({
  kind: 'insurance_answer',
  async step(deps, job) {
    const { batchNo } = job.input;
    const cursor = job.cursor ?? { next: 0, unknown: 0 };
    const answer = await port(deps).fetchAnswer(batchNo);
    if (!answer) throw new AppError('ANSWER_MISSING', '医保信息平台尚未回盘');
    let parsed: ReturnType<typeof readAnswerFile>;
    try {
      parsed = readAnswerFile(batchNo, answer.content);
    } catch {
      throw new AppError('ANSWER_LAYOUT', '回盘文件格式不对，请联系医保信息平台');
    }
    const end = Math.min(parsed.rows.length, cursor.next + ANSWER_ROWS_PER_STEP);
    let unknown = cursor.unknown;
    const results = await mapLimit(parsed.rows.slice(cursor.next, end), CONCURRENCY, (row) => applyRow(deps, batchNo, row));
    unknown += results.filter((r) => r === 'unknown').length;
    if (end < parsed.rows.length) return { cursor: { next: end, unknown }, phase: 'apply', done: end, total: parsed.rows.length };
    const registered = await deps.db.count(INSURANCE.items, { batchNo, state: 'registered' });
    const refused = await deps.db.count(INSURANCE.items, { batchNo, state: 'refused' });
    const unanswered = await deps.db.count(INSURANCE.items, { batchNo, state: 'exported' });
    await deps.db.update(INSURANCE.batches, batchNo, { state: 'done', registered, refused });
    return {
      cursor: { next: end, unknown },
      phase: 'done',
      done: end,
      total: parsed.rows.length,
      finished: { report: { batchNo, registered, refused, unknown, malformed: parsed.malformed.slice(0, 50), unanswered } },
    };
  },
});

/**
 * Asks the platform for the answers of the batches waiting for one and starts their answer jobs
 * (idempotent by batch number). Returns the answer jobs started or running.
 */
export async function pollAnswers(deps: Deps, staff: Staff | null): Promise<string[]> {
  const waiting = await deps.db.find<BatchDoc>(INSURANCE.batches, { state: deps.db.cmd.in(['submitted', 'answered']) }, { orderBy: [['createdAt', 'asc']], limit: 20 });
  const jobs: string[] = [];
  let unreachable: AppError | null = null;
  for (const b of waiting) {
    if (b.state === 'submitted') {
      let answer;
      try {
        answer = await port(deps).fetchAnswer(b._id);
      } catch (err) {
        // One batch the platform cannot answer (unknown, unreachable) does not hold up the others;
        // its rows are exported again after the waiting days.
        if (!(err instanceof AppError)) throw err;
        console.warn('[insurance] no answer for a batch:', err.code);
        if (err.code === 'INSURANCE_UNAVAILABLE' || err.code === 'CONFIG_MISSING') unreachable = err;
        continue;
      }
      if (!answer) continue;
      const job = await startJob(deps, staff ?? TIMER_STARTER, insuranceAnswer, { key: b._id, input: { batchNo: b._id }, phase: 'apply' });
      await deps.db.update(INSURANCE.batches, b._id, { state: 'answered', answerJobId: job._id, answeredAt: deps.clock.now().toISOString() });
      jobs.push(job._id);
    } else if (b.answerJobId) jobs.push(b.answerJobId);
  }
  // Nothing reached the platform at all: say so (staff see it, the timer logs it).
  if (unreachable && jobs.length === 0) throw unreachable;
  return jobs;
}

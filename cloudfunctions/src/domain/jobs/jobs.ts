/**
 * Jobs: every import and export is a job (issue 12), because the cloud gives a function at most
 * 60 s and a read at most 100 documents, while a list has 50,000 rows.
 *
 * A job is one `jobs` document: its kind, an idempotency key (unique per kind: the same request
 * twice is the same job), who started it (staff id, organisation, role, district), its input, a
 * cursor, progress (done/total), a phase, the report, a status (running → done | failed) and a
 * lease (leaseOwner/leaseUntil) so only one invocation works on it at a time.
 *
 * HOW TO USE IT (engineers C, D, G):
 *
 * 1. Declare a kind, in your domain folder, and register it at module load:
 *
 *      export const rosterImport = defineJobKind<Input, Cursor, Report>({
 *        kind: 'roster_import',
 *        async step(deps, job) {
 *          // ONE chunk: read at most 100 documents (or one staged block, files/staging.ts),
 *          // write idempotently (deterministic _id + set, insertMissing below, or updates that
 *          // land on the same value twice), return the next cursor and progress.
 *          return { cursor: next, done: job.progress.done + n, total, finished: last ? { report } : undefined };
 *        },
 *      });
 *
 *    A step that throws AppError fails the job with that code and message (shown to staff);
 *    any other error is retried by the next advance (the 3rd failure in a row fails the job).
 *    Keep one step to a few seconds: the budget is checked between steps.
 *    Add an import of your kind's module to `all-kinds.ts` so the `jobs` timer can resume it.
 *
 * 2. Start it idempotently from your staff function (the starter's identity comes from the
 *    caller's staff account, never from the event):
 *
 *      const job = await startJob(deps, staff, rosterImport, { key: `${fileSha256}:${year}`, input, total });
 *      // `job.existing` is true when the same key was started before: same job, same report.
 *
 * 3. Advance it: `await advanceJob(deps, job._id, { budgetMs: 8_000 })` right after starting
 *    (so small jobs finish in the first call) and in your `job` poll action. advanceJob takes the
 *    lease (a second caller just reads), runs steps until the budget is spent, saves the cursor
 *    after EACH step (a crash repeats at most the step it was in), and frees the lease.
 *
 * 4. Progress: `await jobForStaff(deps, staff, jobId, { kinds: ['roster_import'] })` returns the
 *    document if the caller started it or is the level above (the starter organisation's parent,
 *    or the city centre), else OUT_OF_SCOPE; `jobView(job)` is the reply shape
 *    (contracts/jobs.ts `jobViewSchema(yourReportSchema)`). The page polls every 1–2 s.
 *
 * 5. Resume: the `jobs` timer function (every minute) calls `resumeJobs`, which advances running
 *    jobs whose lease is free or expired (an invocation killed mid-step leaves its lease to expire
 *    after LEASE_MS, longer than any function may live). Writes are fenced by the lease owner, so
 *    a late invocation whose lease was taken over cannot overwrite the cursor.
 *
 * Locally the timer is not fired by the local cloud: tests call the `jobs` function with the
 * timer event, as for `housekeeping` (test/cloud/jobs-resume.test.ts).
 */
import { createHash, randomBytes } from 'crypto';
import { DuplicateKeyError } from '../../platform/database';
import { AppError } from '../../platform/errors';
import { C, Deps } from '../context';
import type { Staff } from '../staff/scope';
import type { StaffRole } from '../staff/staff';

export type JobStatus = 'running' | 'done' | 'failed';

/** Who started a job: copied from the caller's staff account at start. */
export interface JobStarter {
  staffId: string;
  name: string;
  orgId: string;
  /** The organisation above the starter's (its creator), which may read the job too. */
  orgParentId: string | null;
  role: StaffRole;
  district: string | null;
}

export interface JobDoc<I = unknown, K = unknown, R = unknown> {
  _id: string;
  kind: string;
  key: string;
  starter: JobStarter;
  input: I;
  cursor: K | null;
  /** A short word the kind chooses ('stage', 'validate', 'apply', ...), shown with the progress. */
  phase: string;
  progress: { done: number; total: number | null };
  report: R | null;
  status: JobStatus;
  error: { code: string; message: string } | null;
  /** The invocation working on it; leaseUntil is FREE when none. */
  leaseOwner: string | null;
  leaseUntil: string;
  steps: number;
  /** Unexpected errors in a row (reset by a step that succeeds). */
  failures: number;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface StepResult<K, R> {
  cursor: K;
  phase?: string;
  done?: number;
  total?: number | null;
  /** Set on the last step: the job is done with this report. */
  finished?: { report: R };
}

export interface JobKind<I, K, R> {
  kind: string;
  step(deps: Deps, job: JobDoc<I, K, R>): Promise<StepResult<K, R>>;
  /** Optional clean-up once the job is done or failed (e.g. staged rows, the uploaded file). Idempotent. */
  finish?(deps: Deps, job: JobDoc<I, K, R>): Promise<void>;
}

/** A lease outlives any invocation (60 s maximum): an expired lease means its holder is gone. */
export const LEASE_MS = 90_000;
/** leaseUntil of a job nobody works on: before every instant, so `leaseUntil < now` finds it. */
export const FREE = '1970-01-01T00:00:00.000Z';
const MAX_FAILURES = 3;
/** What the timer spends per run (the function's timeout is 60 s). */
export const TIMER_BUDGET_MS = 40_000;

const kinds = new Map<string, JobKind<any, any, any>>();

export function defineJobKind<I, K, R>(kind: JobKind<I, K, R>): JobKind<I, K, R> {
  kinds.set(kind.kind, kind);
  return kind;
}

export function jobKind(name: string): JobKind<unknown, unknown, unknown> | undefined {
  return kinds.get(name);
}

export function registeredKinds(): string[] {
  return [...kinds.keys()];
}

/** The job's id from its kind and key: the same request twice lands on the same document. */
export function jobIdOf(kind: string, key: string): string {
  return `job-${createHash('sha256').update(`${kind}\u0000${key}`).digest('hex').slice(0, 32)}`;
}

export function starterOf(staff: Staff): JobStarter {
  return { staffId: staff._id, name: staff.name, orgId: staff.org._id, orgParentId: staff.org.parentId, role: staff.role, district: staff.org.district };
}

/**
 * Starts a job, or returns the one already started with the same kind and key (`existing`).
 * Nothing runs yet: call advanceJob.
 */
export async function startJob<I, K, R>(
  deps: Deps,
  staff: Staff,
  kind: JobKind<I, K, R>,
  options: { key: string; input: I; total?: number | null; phase?: string },
): Promise<JobDoc<I, K, R> & { existing: boolean }> {
  const _id = jobIdOf(kind.kind, options.key);
  const now = deps.clock.now().toISOString();
  const doc: JobDoc<I, K, R> = {
    _id,
    kind: kind.kind,
    key: options.key,
    starter: starterOf(staff),
    input: options.input,
    cursor: null,
    phase: options.phase ?? 'queued',
    progress: { done: 0, total: options.total ?? null },
    report: null,
    status: 'running',
    error: null,
    leaseOwner: null,
    leaseUntil: FREE,
    steps: 0,
    failures: 0,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
  };
  try {
    await deps.db.insert(C.jobs, doc);
    return { ...doc, existing: false };
  } catch (err) {
    if (!(err instanceof DuplicateKeyError)) throw err;
    const found = await deps.db.get<JobDoc<I, K, R>>(C.jobs, _id);
    if (!found) throw err;
    return { ...found, existing: true };
  }
}

export async function getJob<I = unknown, K = unknown, R = unknown>(deps: Pick<Deps, 'db'>, jobId: string): Promise<JobDoc<I, K, R> | null> {
  return deps.db.get<JobDoc<I, K, R>>(C.jobs, jobId);
}

/** Object fields are replaced, not merged (the SDK's update merges nested objects). */
function replace(deps: Deps, value: unknown): unknown {
  return value !== null && typeof value === 'object' ? deps.db.cmd.set(value) : value;
}

async function tryLease(deps: Deps, jobId: string, owner: string): Promise<boolean> {
  const now = deps.clock.now();
  const n = await deps.db.updateWhere(
    C.jobs,
    { _id: jobId, status: 'running', leaseUntil: deps.db.cmd.lt(now.toISOString()) },
    { leaseOwner: owner, leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString() },
  );
  return n > 0;
}

/** Writes only while the caller still holds the lease; false when it was lost. */
async function fenced(deps: Deps, jobId: string, owner: string, patch: Record<string, unknown>): Promise<boolean> {
  const data: Record<string, unknown> = { updatedAt: deps.clock.now().toISOString() };
  for (const [k, v] of Object.entries(patch)) data[k] = replace(deps, v);
  return (await deps.db.updateWhere(C.jobs, { _id: jobId, leaseOwner: owner }, data)) > 0;
}

/**
 * Works on the job for about budgetMs (at least one step): takes the lease or returns the job as
 * it is when another invocation holds it; saves cursor and progress after every step.
 */
export async function advanceJob(deps: Deps, jobId: string, options: { budgetMs: number }): Promise<JobDoc | null> {
  const started = Date.now();
  const owner = `inv-${randomBytes(8).toString('hex')}`;
  if (!(await tryLease(deps, jobId, owner))) return getJob(deps, jobId);
  for (;;) {
    const job = await getJob(deps, jobId);
    if (!job || job.leaseOwner !== owner || job.status !== 'running') return job;
    const kind = jobKind(job.kind);
    if (!kind) {
      // Not this function's kind: leave it to the timer, which knows every kind.
      await fenced(deps, jobId, owner, { leaseOwner: null, leaseUntil: FREE });
      return getJob(deps, jobId);
    }
    let result: StepResult<unknown, unknown>;
    try {
      result = await kind.step(deps, job);
    } catch (err) {
      const failures = job.failures + 1;
      if (err instanceof AppError || failures >= MAX_FAILURES) {
        const error = err instanceof AppError ? { code: err.code, message: err.userMessage } : { code: 'INTERNAL', message: '处理失败，请稍后重新提交' };
        if (!(err instanceof AppError)) console.error(`[jobs] ${job.kind} failed after ${failures} errors`, (err as Error)?.name ?? typeof err);
        const now = deps.clock.now().toISOString();
        await fenced(deps, jobId, owner, { status: 'failed', error, failures, finishedAt: now, leaseOwner: null, leaseUntil: FREE });
        const failed = await getJob(deps, jobId);
        if (failed && kind.finish) await kind.finish(deps, failed);
        return failed;
      }
      // Unexpected (a network error, a timeout of a lower call): the next advance repeats the step.
      console.error(`[jobs] ${job.kind} step error ${failures}/${MAX_FAILURES}`, (err as Error)?.name ?? typeof err);
      await fenced(deps, jobId, owner, { failures, leaseOwner: null, leaseUntil: FREE });
      return getJob(deps, jobId);
    }
    const progress = {
      done: result.done ?? job.progress.done,
      total: result.total === undefined ? job.progress.total : result.total,
    };
    const patch: Record<string, unknown> = { cursor: result.cursor ?? null, progress, steps: job.steps + 1, failures: 0 };
    if (result.phase) patch.phase = result.phase;
    if (result.finished) {
      Object.assign(patch, { status: 'done', report: result.finished.report, phase: result.phase ?? 'done', finishedAt: deps.clock.now().toISOString(), leaseOwner: null, leaseUntil: FREE });
    }
    if (!(await fenced(deps, jobId, owner, patch))) return getJob(deps, jobId);
    if (result.finished) {
      const done = await getJob(deps, jobId);
      if (done && kind.finish) await kind.finish(deps, done);
      return done;
    }
    if (Date.now() - started >= options.budgetMs) {
      await fenced(deps, jobId, owner, { leaseOwner: null, leaseUntil: FREE });
      return getJob(deps, jobId);
    }
  }
}

export interface ResumeReport {
  advanced: number;
  finished: number;
  /** More running jobs than this run reached. */
  more: boolean;
}

/** The `jobs` timer: running jobs whose lease is free or expired, oldest first, within the budget. */
export async function resumeJobs(deps: Deps, options: { budgetMs?: number } = {}): Promise<ResumeReport> {
  const budget = options.budgetMs ?? TIMER_BUDGET_MS;
  const started = Date.now();
  const report: ResumeReport = { advanced: 0, finished: 0, more: false };
  const tried = new Set<string>();
  for (;;) {
    const due = await deps.db.find<JobDoc>(
      C.jobs,
      { status: 'running', leaseUntil: deps.db.cmd.lt(deps.clock.now().toISOString()) },
      { orderBy: [['createdAt', 'asc']], limit: 20, fields: { _id: true, kind: true } },
    );
    const next = due.find((j) => !tried.has(j._id) && kinds.has(j.kind));
    if (!next) return report;
    tried.add(next._id);
    const left = budget - (Date.now() - started);
    const job = await advanceJob(deps, next._id, { budgetMs: Math.max(left, 1) });
    report.advanced++;
    if (job && job.status !== 'running') report.finished++;
    if (Date.now() - started >= budget) {
      report.more = true;
      return report;
    }
  }
}

/**
 * Whether the staff member may read the job: its starter, the organisation above the starter's,
 * or the city centre.
 */
export function mayReadJob(staff: Pick<Staff, '_id' | 'role' | 'org'>, job: Pick<JobDoc, 'starter'>): boolean {
  if (job.starter.staffId === staff._id) return true;
  if (staff.role === 'city') return true;
  return !!job.starter.orgParentId && job.starter.orgParentId === staff.org._id;
}

/** The job for a staff member, or OUT_OF_SCOPE (missing, another kind, or not theirs to read). */
export async function jobForStaff<I = unknown, K = unknown, R = unknown>(
  deps: Pick<Deps, 'db'>,
  staff: Staff,
  jobId: string,
  options: { kinds: readonly string[] },
): Promise<JobDoc<I, K, R>> {
  const job = await getJob<I, K, R>(deps, jobId);
  if (!job || !options.kinds.includes(job.kind) || !mayReadJob(staff, job)) throw new AppError('OUT_OF_SCOPE', '没有找到这项任务，或您无权查看');
  return job;
}

/** The jobs of these kinds the staff member started, newest first (at most 100). */
export async function jobsStartedBy(deps: Pick<Deps, 'db'>, staff: Pick<Staff, '_id'>, kinds: readonly string[], limit = 20): Promise<JobDoc[]> {
  return deps.db.find<JobDoc>(C.jobs, { 'starter.staffId': staff._id, kind: deps.db.cmd.in([...kinds]) }, { orderBy: [['createdAt', 'desc']], limit: Math.min(limit, 100) });
}

/** What a page shows of a job (contracts/jobs.ts jobViewSchema). */
export function jobView<R>(job: JobDoc<unknown, unknown, R>) {
  return {
    jobId: job._id,
    kind: job.kind,
    status: job.status,
    phase: job.phase,
    progress: job.progress,
    report: job.report,
    error: job.error,
    startedBy: job.starter.name,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
  };
}

/**
 * Inserts the documents of a chunk that are not there yet (by _id): two round trips for up to
 * 100 documents, and a repeated chunk writes nothing twice. Returns how many were inserted.
 */
export async function insertMissing(deps: Pick<Deps, 'db'>, collection: string, docs: Array<Record<string, unknown> & { _id: string }>): Promise<number> {
  return (await insertMissingReturning(deps, collection, docs, {})).inserted.length;
}

/**
 * insertMissing that also answers which ids it inserted and the documents that were already
 * there (with `fields`, e.g. a jobId tag, so a repeated chunk can tell its own earlier writes).
 */
export async function insertMissingReturning<T extends { _id: string }>(
  deps: Pick<Deps, 'db'>,
  collection: string,
  docs: Array<Record<string, unknown> & { _id: string }>,
  fields: Record<string, boolean>,
): Promise<{ inserted: string[]; existing: T[] }> {
  if (docs.length === 0) return { inserted: [], existing: [] };
  if (docs.length > 100) throw new Error('insertMissing takes at most 100 documents');
  const ids = docs.map((d) => d._id);
  const existing = await deps.db.find<T>(collection, { _id: deps.db.cmd.in(ids) }, { limit: 100, fields: { _id: true, ...fields } });
  const have = new Set(existing.map((d) => d._id));
  const missing = docs.filter((d) => !have.has(d._id));
  if (missing.length === 0) return { inserted: [], existing };
  try {
    await deps.db.insertMany(collection, missing);
    return { inserted: missing.map((d) => d._id), existing };
  } catch (err) {
    if (!(err instanceof DuplicateKeyError)) throw err;
  }
  // Another writer won a race for some of them (or a unique index other than _id refused one):
  // one by one, keeping what could be inserted.
  const inserted: string[] = [];
  for (const d of missing) {
    try {
      await deps.db.insert(collection, d);
      inserted.push(d._id);
    } catch (e) {
      if (!(e instanceof DuplicateKeyError)) throw e;
    }
  }
  const late = await deps.db.find<T>(collection, { _id: deps.db.cmd.in(missing.filter((d) => !inserted.includes(d._id)).map((d) => d._id)) }, { limit: 100, fields: { _id: true, ...fields } });
  return { inserted, existing: [...existing, ...late] };
}

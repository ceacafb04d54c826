/**
 * Backfill of the progress counters (counters.ts) from the enrollments of a year: enrollments paid
 * before the counters existed, or a check after an incident. A job on the jobs framework: 100
 * enrollments a step in _id order; countEnrolled is idempotent per enrollment, so a step repeated
 * after a crash counts nothing twice.
 */
import type { Acting } from '../context';
import { C } from '../context';
import { PAID_STATES, type EnrollmentDoc } from '../enrollments/enrollments';
import { advanceJob, defineJobKind, jobForStaff, jobView, startJob, type JobDoc } from '../jobs/jobs';
import { shanghaiDateOf } from '../dates';
import { requireStaff } from '../staff/scope';
import type { PersonDoc } from '../persons/persons';
import { ROSTER, rosterEntryId, type RosterEntryDoc } from '../rosters/entries';
import { areaFor, countInArea, markId, PROGRESS_MARKS } from './counters';

export const PROGRESS_RECOUNT = 'progress_recount';
/** Work per staff call: a step takes ~1 s, the function's timeout is 10 s; the timer resumes the rest. */
const ADVANCE_MS = 4_000;

interface Input {
  benefitYear: number;
}
interface Cursor {
  after: string | null;
  seen: number;
}
export interface RecountReport {
  benefitYear: number;
  enrollments: number;
}

export const progressRecount = defineJobKind<Input, Cursor, RecountReport>({
  kind: PROGRESS_RECOUNT,
  async step(deps, job) {
    const { benefitYear } = job.input;
    const after = job.cursor?.after ?? null;
    const seen = job.cursor?.seen ?? 0;
    const _ = deps.db.cmd;
    const filter: Record<string, unknown> = { benefitYear, status: _.in(PAID_STATES) };
    if (after) filter._id = _.gt(after);
    const page = await deps.db.find<EnrollmentDoc>(C.enrollments, filter, { orderBy: [['_id', 'asc']], limit: 100, fields: { _id: true, personId: true } });
    // One read each for the page's marks, persons and roster entries; a transaction only for the uncounted.
    if (page.length) {
      const persons = new Map((await deps.db.find<PersonDoc>(C.persons, { _id: _.in(page.map((e) => e.personId)) }, { limit: 100 })).map((p) => [p._id, p]));
      const markOf = (e: EnrollmentDoc) => markId(benefitYear, persons.get(e.personId) ?? null, e.personId);
      const marked = new Set((await deps.db.find<{ _id: string }>(PROGRESS_MARKS, { _id: _.in(page.map(markOf)) }, { limit: 100, fields: { _id: true } })).map((m) => m._id));
      const todo = page.filter((e) => !marked.has(markOf(e)));
      const rosterIds = todo.map((e) => persons.get(e.personId)).filter((p): p is PersonDoc => !!p?.idHash).map((p) => rosterEntryId(benefitYear, p.idHash));
      const roster = new Map((rosterIds.length ? await deps.db.find<RosterEntryDoc>(ROSTER.entries, { _id: _.in(rosterIds) }, { limit: 100 }) : []).map((r) => [r._id, r]));
      for (const e of todo) {
        const person = persons.get(e.personId) ?? null;
        const entry = person?.idHash ? roster.get(rosterEntryId(benefitYear, person.idHash)) ?? null : null;
        await countInArea(deps, person, e.personId, benefitYear, areaFor(person, entry));
      }
    }
    const next = { after: page.length ? page[page.length - 1]._id : after, seen: seen + page.length };
    return { cursor: next, phase: 'count', done: next.seen, finished: page.length < 100 ? { report: { benefitYear, enrollments: next.seen } } : undefined };
  },
});

export async function startRecount(deps: Acting, benefitYear: number) {
  const staff = await requireStaff(deps, ['city']);
  const job = await startJob(deps, staff, progressRecount, { key: `${benefitYear}:${shanghaiDateOf(deps.clock.now())}`, input: { benefitYear } });
  const advanced = (await advanceJob(deps, job._id, { budgetMs: ADVANCE_MS })) ?? job;
  return jobView(advanced as JobDoc<unknown, unknown, RecountReport>);
}

export async function recountJob(deps: Acting, jobId: string) {
  const staff = await requireStaff(deps, ['city']);
  await jobForStaff(deps, staff, jobId, { kinds: [PROGRESS_RECOUNT] });
  const advanced = await advanceJob(deps, jobId, { budgetMs: ADVANCE_MS });
  const job = advanced ?? (await jobForStaff(deps, staff, jobId, { kinds: [PROGRESS_RECOUNT] }));
  return jobView(job as JobDoc<unknown, unknown, RecountReport>);
}

/**
 * Enrolled counts per district (and 大学生) and benefit year, maintained as the enrollments become
 * paid, so the progress table (附件2) reads ~100 small documents instead of 5.5 million
 * enrollments.
 *
 * Each enrollment is counted at most once: a mark `progress_marks/<year>-<idHash prefix>` (keyed
 * by the person's ID hash, so the screening of the unenrolled can look a register page up by
 * id: screening.ts) and the counter change are written in one transaction (single-document operations, as the cloud
 * allows). Calling it again (a repeated pay callback, the sweeper, a re-import) finds the mark
 * and does nothing; a failure throws, so the caller's retry (WeChat Pay retries the callback)
 * counts it then. A counter is split into SHARDS documents by the enrollment's hash, so the
 * payments of one district at the season's peak do not all conflict on one document.
 * A reversed cash payment (the enrollment open again) is uncounted the same way.
 */
import { createHash } from 'crypto';
import type { Deps } from '../context';
import { C } from '../context';
import { dropFromScreening } from './screening-entries';
import type { PersonDoc } from '../persons/persons';
import { ROSTER, rosterEntryId, type RosterEntryDoc } from '../rosters/entries';
import { personDistrict } from '../staff/scope';

export const PROGRESS_COUNTERS = 'progress_counters';
export const PROGRESS_MARKS = 'progress_marks';
export const SHARDS = 16;

/** The row of 附件2 a person counts in: a university's rostered student is 大学生, everyone else their district. */
export const STUDENTS = '大学生';
export const UNKNOWN_AREA = '未归属';

export interface CounterDoc {
  _id: string;
  benefitYear: number;
  area: string;
  shard: number;
  count: number;
  updatedAt: string;
}

export interface MarkDoc {
  _id: string;
  benefitYear: number;
  personId: string;
  area: string;
  shard: number;
  at: string;
}

const shardOf = (id: string) => createHash('sha256').update(id).digest()[0] % SHARDS;

/** The mark of a person's year: by ID hash (160 bits of it), or by person id for a record without a number. */
export function markId(benefitYear: number, person: Pick<PersonDoc, '_id' | 'idHash'> | null, personId: string): string {
  return person?.idHash ? `${benefitYear}-${person.idHash.slice(0, 40)}` : `${benefitYear}-p${personId}`.slice(0, 64);
}
export const counterId = (benefitYear: number, area: string, shard: number) => `${benefitYear}|${area}|${shard}`;

/** The area of a person (with the university roster entry of the year, if any). */
export function areaFor(person: Pick<PersonDoc, 'community' | 'district'> | null, rosterEntry: Pick<RosterEntryDoc, 'orgKind'> | null): string {
  if (!person) return UNKNOWN_AREA;
  if (rosterEntry && rosterEntry.orgKind === 'university') return STUDENTS;
  return personDistrict(person) ?? UNKNOWN_AREA;
}

/** Counts the person's enrollment of the year once (see the file comment). */
export async function countEnrolled(deps: Pick<Deps, 'db' | 'clock'>, personId: string, benefitYear: number): Promise<void> {
  const person = await deps.db.get<PersonDoc>(C.persons, personId);
  if (await deps.db.get<MarkDoc>(PROGRESS_MARKS, markId(benefitYear, person, personId))) return; // cheap exit for repeats
  const entry = person?.idHash ? await deps.db.get<RosterEntryDoc>(ROSTER.entries, rosterEntryId(benefitYear, person.idHash)) : null;
  await countInArea(deps, person, personId, benefitYear, areaFor(person, entry));
}

/** countEnrolled with the person and area already known (the recount reads a page's persons at once). */
export async function countInArea(deps: Pick<Deps, 'db' | 'clock'>, person: Pick<PersonDoc, '_id' | 'idHash'> | null, personId: string, benefitYear: number, area: string): Promise<void> {
  const id = markId(benefitYear, person, personId);
  const shard = shardOf(id);
  const now = deps.clock.now().toISOString();
  await deps.db.transaction(async (tx) => {
    if (await tx.get<MarkDoc>(PROGRESS_MARKS, id)) return;
    await tx.set(PROGRESS_MARKS, id, { benefitYear, personId, area, shard, at: now });
    const cid = counterId(benefitYear, area, shard);
    const c = await tx.get<CounterDoc>(PROGRESS_COUNTERS, cid);
    await tx.set(PROGRESS_COUNTERS, cid, { benefitYear, area, shard, count: (c?.count ?? 0) + 1, updatedAt: now });
  });
  // The screening list of the year (screening.ts) loses the person at once.
  if (person?.idHash) await dropFromScreening(deps, benefitYear, person.idHash, now);
}

/** Undoes countEnrolled when a paid enrollment is open again (a reversed cash payment). */
export async function uncountEnrolled(deps: Pick<Deps, 'db' | 'clock'>, personId: string, benefitYear: number): Promise<void> {
  const id = markId(benefitYear, await deps.db.get<PersonDoc>(C.persons, personId), personId);
  const now = deps.clock.now().toISOString();
  await deps.db.transaction(async (tx) => {
    const mark = await tx.get<MarkDoc>(PROGRESS_MARKS, id);
    if (!mark) return;
    await tx.remove(PROGRESS_MARKS, id);
    const cid = counterId(mark.benefitYear, mark.area, mark.shard);
    const c = await tx.get<CounterDoc>(PROGRESS_COUNTERS, cid);
    await tx.set(PROGRESS_COUNTERS, cid, { benefitYear: mark.benefitYear, area: mark.area, shard: mark.shard, count: Math.max(0, (c?.count ?? 0) - 1), updatedAt: now });
  });
}

/** The year's counts per area: at most (areas × SHARDS) documents, read in pages of 100. */
export async function enrolledByArea(deps: Pick<Deps, 'db'>, benefitYear: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let skip = 0; skip < 10_000; skip += 100) {
    const page = await deps.db.find<CounterDoc>(PROGRESS_COUNTERS, { benefitYear }, { orderBy: [['_id', 'asc']], skip, limit: 100 });
    for (const c of page) out.set(c.area, (out.get(c.area) ?? 0) + c.count);
    if (page.length < 100) break;
  }
  return out;
}

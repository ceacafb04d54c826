/**
 * The append-only log of state changes of enrollments, orders and payments (DESIGN.md, data rules).
 * Entries with a deterministic key are written at most once, so a settlement that runs again
 * (a repeated pay callback, a crash half-way) does not log the same change twice.
 */
import { DuplicateKeyError } from '../../platform/database';
import type { z } from 'zod';
import type { auditEntitySchema } from '../../contracts/staffAdmin';
import { C, Deps } from '../context';
import { insertMissing } from '../jobs/jobs';
import { writeTimeFacts } from './audit-facts';

export type AuditEntity = z.infer<typeof auditEntitySchema>;

export type Actor = 'wechat_pay' | 'system' | string; // or an openid (resident or staff)

export interface AuditEntry {
  /** The viewer's filter and reply use the same list: an entity missing there could not be filtered or shown. */
  entity: AuditEntity;
  entityId: string;
  from: string | null;
  to: string;
  actor: Actor;
  reason: string;
  /** 'info' for ordinary changes; 'alert' for what staff must look at (amount mismatch, ...). */
  level?: 'info' | 'alert';
  /** The persons concerned, when the caller knows them; else derived from the entity (audit-facts.ts). */
  personIds?: string[];
}

export async function appendAudit(deps: Pick<Deps, 'db' | 'clock'>, entry: AuditEntry, onceKey?: string): Promise<void> {
  // Who acted (role, organisation) and to whom, as they are now: stored, never looked up later.
  const doc = { level: 'info', ...entry, ...(await writeTimeFacts(deps, entry)), at: deps.clock.now().toISOString() };
  try {
    await deps.db.insert(C.auditLog, onceKey ? { _id: onceKey.slice(0, 120), ...doc } : doc);
  } catch (err) {
    // Already logged. Only the port's duplicate-key error means that: a "Db or Table not exist"
    // is a failed write, never a duplicate, whatever words it shares with one.
    if (err instanceof DuplicateKeyError) return;
    throw err;
  }
}

/** A system entry written in bulk: the persons it concerns are given, so nothing is looked up. */
export type SystemAuditEntry = Omit<AuditEntry, 'actor' | 'level' | 'personIds'> & { personIds: string[] };

/**
 * Entries by the system from a job step that enrolls hundreds at once (a list import): 100 per
 * round trip instead of one insert and a lookup each, every entry at most once by its key, so a
 * repeated step logs nothing twice.
 */
export async function appendSystemAuditBatch(deps: Pick<Deps, 'db' | 'clock'>, entries: Array<{ entry: SystemAuditEntry; onceKey: string }>): Promise<void> {
  const at = deps.clock.now().toISOString();
  const docs = entries.map(({ entry, onceKey }) => ({ _id: onceKey.slice(0, 120), level: 'info', ...entry, actor: 'system', actorKind: 'system', at }));
  for (let i = 0; i < docs.length; i += 100) await insertMissing(deps, C.auditLog, docs.slice(i, i + 100));
}

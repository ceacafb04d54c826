/**
 * Retention of approved documents (issue 11): a set time after approval the file is deleted from
 * storage; the document record stays (status, who reviewed it, when) with `fileDeleted: true`.
 *
 * Run by the `housekeeping` timer. Chunked and resumable without a cursor: what is still due is
 * exactly what the query finds (approved, reviewed before the cut-off, file not yet deleted), so
 * a run stopped by its time guard is continued by the next one. Idempotent: the file is deleted
 * before the record is marked, and deleting a file that is already gone changes nothing, so a
 * run that dies between the two only repeats the deletion.
 */
import { appendAudit } from '../audit/audit-log';
import { C, Deps } from '../context';
import type { DocumentDoc } from './documents';

/** Days after approval before the file is deleted, unless DOCUMENT_RETENTION_DAYS says otherwise. */
export const DEFAULT_RETENTION_DAYS = 30;
/** WeChat's deleteFile takes at most 50 files per call. */
const BATCH = 50;
export const DEFAULT_BUDGET_MS = 45_000;

export interface RetentionReport {
  retentionDays: number;
  cutoff: string;
  deleted: number;
  /** Nothing due is left (false: the time guard stopped the run; the next one continues). */
  complete: boolean;
}

/** DOCUMENT_RETENTION_DAYS (function environment): whole days, 1–3650; anything else is the default. */
export function retentionDays(fromEnv = process.env.DOCUMENT_RETENTION_DAYS): number {
  const days = Number(fromEnv);
  return fromEnv && Number.isInteger(days) && days >= 1 && days <= 3650 ? days : DEFAULT_RETENTION_DAYS;
}

export async function runRetention(deps: Deps, options: { days?: number; budgetMs?: number; batchSize?: number } = {}): Promise<RetentionReport> {
  const started = Date.now();
  const days = options.days ?? retentionDays();
  const budget = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const batchSize = Math.min(options.batchSize ?? BATCH, BATCH);
  const cutoff = new Date(deps.clock.now().getTime() - days * 86_400_000).toISOString();
  let deleted = 0;
  // At least one batch per run, so even a tiny budget makes progress; the guard is checked
  // between batches.
  for (;;) {
    const due = await deps.db.find<DocumentDoc>(
      C.documents,
      { status: 'approved', reviewedAt: deps.db.cmd.lt(cutoff), fileDeleted: deps.db.cmd.neq(true) },
      { orderBy: [['reviewedAt', 'asc']], limit: batchSize },
    );
    if (due.length === 0) return { retentionDays: days, cutoff, deleted, complete: true };
    await deps.storage.remove(due.map((d) => d.fileID));
    const now = deps.clock.now().toISOString();
    for (const doc of due) {
      await deps.db.update(C.documents, doc._id, { fileDeleted: true, fileDeletedAt: now });
      await appendAudit(
        deps,
        { entity: 'document', entityId: doc._id, from: 'approved', to: 'file_deleted', actor: 'system', reason: `file deleted ${days} days after approval (retention)` },
        `document_file_deleted_${doc._id}`,
      );
      deleted++;
    }
    // A short batch was the last of what is due.
    if (due.length < batchSize) return { retentionDays: days, cutoff, deleted, complete: true };
    if (Date.now() - started >= budget) return { retentionDays: days, cutoff, deleted, complete: false };
  }
}

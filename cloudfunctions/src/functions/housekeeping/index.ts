/**
 * `housekeeping`: the nightly timer (config.json: 02:30 every day) that deletes approved
 * documents' files from storage once the retention period has passed (DOCUMENT_RETENTION_DAYS,
 * default 30; see domain/documents/retention.ts). A run that hits its time guard is continued by
 * the next one; the document records stay with `fileDeleted: true`.
 *
 * A raw main, not defineFunction, as for `reminders`: the timer has no caller, and a call that
 * carries a user's OPENID (a client calling the function by name) is refused. The event is
 * validated; "now" comes from the clock port, not from the event.
 */
import { timerEventSchema } from '../../contracts/reminders';
import { platformDeps } from '../../domain/platform-deps';
import { DEFAULT_BUDGET_MS, RetentionReport, runRetention } from '../../domain/documents/retention';
import { replyForError } from '../../platform/handler';
import type { FunctionReply } from '../../platform/handler';
import { AppError } from '../../platform/errors';
import { wxContextOpenid } from '../../platform/wx-cloud';

/** HOUSEKEEPING_BUDGET_MS (optional): a shorter time guard, e.g. for a lower console timeout. */
function budgetFromEnv(): number | undefined {
  const ms = Number(process.env.HOUSEKEEPING_BUDGET_MS);
  return Number.isInteger(ms) && ms >= 1 && ms <= DEFAULT_BUDGET_MS ? ms : undefined;
}

/** HOUSEKEEPING_BATCH_SIZE (optional, 1–50): files per batch (WeChat's deleteFile takes 50). */
function batchFromEnv(): number | undefined {
  const n = Number(process.env.HOUSEKEEPING_BATCH_SIZE);
  return Number.isInteger(n) && n >= 1 && n <= 50 ? n : undefined;
}

export async function main(event: unknown): Promise<FunctionReply<RetentionReport>> {
  try {
    if (wxContextOpenid()) throw new AppError('FORBIDDEN', '无权执行此操作');
    const { userInfo: _u, ...rest } = (event && typeof event === 'object' && !Array.isArray(event) ? event : {}) as Record<string, unknown>;
    const parsed = timerEventSchema.safeParse(rest);
    if (!parsed.success) throw new AppError('INVALID_INPUT', '不是定时触发事件');
    const report = await runRetention(platformDeps(), { budgetMs: budgetFromEnv(), batchSize: batchFromEnv() });
    // Counts only: no file ids, no persons.
    console.log('[housekeeping]', `retentionDays=${report.retentionDays} deleted=${report.deleted} complete=${report.complete}`);
    return { ok: true, data: report };
  } catch (err) {
    return replyForError(err, 'housekeeping');
  }
}

/**
 * `reminders`: the timer (config.json: every 10 minutes, 10:00–20:50; each invocation continues
 * the day's run where the previous one stopped, see window-reminders.ts) sends the window reminders residents
 * subscribed to (window_open on the window's first day, window_closing on the closing days to
 * families with someone still unpaid); see domain/reminders/window-reminders.ts.
 *
 * A raw main, not defineFunction: the timer has no caller. A client can call any cloud function
 * by name, so a call that carries a user's OPENID (a resident, through wx.cloud.callFunction or
 * the gateway) is refused: only the platform (timer, or a server-side callFunction) may start
 * mass sending. The event is validated; "today" comes from the clock port, not from the event.
 */
import { timerEventSchema } from '../../contracts/reminders';
import { platformDeps } from '../../domain/platform-deps';
import { loadPublishedPolicies } from '../../domain/policy-port';
import { DEFAULT_BUDGET_MS, RunReport, runWindowReminders } from '../../domain/reminders/window-reminders';
import { replyForError } from '../../platform/handler';
import type { FunctionReply } from '../../platform/handler';
import { AppError } from '../../platform/errors';
import { wxContextOpenid } from '../../platform/wx-cloud';

/**
 * REMINDERS_BUDGET_MS (optional function environment variable): a shorter time guard, e.g. for a
 * function whose timeout is set lower than 60 s in the console.
 */
function budgetFromEnv(): number | undefined {
  const ms = Number(process.env.REMINDERS_BUDGET_MS);
  return Number.isInteger(ms) && ms >= 1 && ms <= DEFAULT_BUDGET_MS ? ms : undefined;
}

export async function main(event: unknown): Promise<FunctionReply<RunReport>> {
  try {
    if (wxContextOpenid()) throw new AppError('FORBIDDEN', '无权执行此操作');
    const { userInfo: _u, ...rest } = (event && typeof event === 'object' && !Array.isArray(event) ? event : {}) as Record<string, unknown>;
    const parsed = timerEventSchema.safeParse(rest);
    if (!parsed.success) throw new AppError('INVALID_INPUT', '不是定时触发事件');
    const deps = platformDeps();
    // A raw main skips defineFunction's invocation hook: load the published policy tables here.
    await loadPublishedPolicies(deps);
    const report = await runWindowReminders(deps, { budgetMs: budgetFromEnv() });
    // Counts only: no openids, no family facts.
    console.log('[reminders]', report.date, JSON.stringify(report.due), `sent=${report.sent} already=${report.alreadySent} notNeeded=${report.notNeeded} failed=${report.failed} complete=${report.complete} resumed=${report.resumed}`);
    return { ok: true, data: report };
  } catch (err) {
    return replyForError(err, 'reminders');
  }
}

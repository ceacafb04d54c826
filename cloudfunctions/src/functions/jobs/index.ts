/**
 * `jobs`: the timer (config.json: every minute) that resumes running jobs whose lease is free or
 * expired — a job whose starter closed the page, or whose invocation was killed mid-step
 * (domain/jobs/jobs.ts). Each run works about JOBS_BUDGET_MS (default 40 s) and stops; the next
 * run continues.
 *
 * A raw main, as for `housekeeping`: the timer has no caller, and a call that carries a user's
 * OPENID (a client calling the function by name) is refused.
 */
import { timerEventSchema } from '../../contracts/reminders';
import { registeredKinds } from '../../domain/jobs/all-kinds';
import { ResumeReport, resumeJobs, TIMER_BUDGET_MS } from '../../domain/jobs/jobs';
import { platformDeps } from '../../domain/platform-deps';
import { loadPublishedPolicies } from '../../domain/policy-port';
import { AppError } from '../../platform/errors';
import type { FunctionReply } from '../../platform/handler';
import { replyForError } from '../../platform/handler';
import { wxContextOpenid } from '../../platform/wx-cloud';

/** JOBS_BUDGET_MS (optional): a shorter time guard (tests; a lower console timeout). */
function budgetFromEnv(): number | undefined {
  const ms = Number(process.env.JOBS_BUDGET_MS);
  return Number.isInteger(ms) && ms >= 1 && ms <= TIMER_BUDGET_MS ? ms : undefined;
}

export async function main(event: unknown): Promise<FunctionReply<ResumeReport & { kinds: string[] }>> {
  try {
    if (wxContextOpenid()) throw new AppError('FORBIDDEN', '无权执行此操作');
    const { userInfo: _u, ...rest } = (event && typeof event === 'object' && !Array.isArray(event) ? event : {}) as Record<string, unknown>;
    if (!timerEventSchema.safeParse(rest).success) throw new AppError('INVALID_INPUT', '不是定时触发事件');
    const deps = platformDeps();
    // Jobs read the benefit year's table (list deadlines, categories): published years too.
    await loadPublishedPolicies(deps);
    const report = await resumeJobs(deps, { budgetMs: budgetFromEnv() });
    console.log('[jobs]', `advanced=${report.advanced} finished=${report.finished} more=${report.more}`);
    return { ok: true, data: { ...report, kinds: registeredKinds() } };
  } catch (err) {
    return replyForError(err, 'jobs');
  }
}

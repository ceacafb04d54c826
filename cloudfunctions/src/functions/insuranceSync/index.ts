/**
 * `insuranceSync`: the timer of the exchange with the insurance system (医保信息平台). Every run
 * (config.json: 09:00, 13:00, 17:00, 18:00) asks for the answers of the batches waiting for one
 * and applies them; from INSURANCE_EXPORT_HOUR (default 17, Shanghai time) on a working day
 * (holidays and 调休 counted, domain/calendar/working-days.ts) it opens the day's export batch
 * (once; another when the last one was full) and works on it. What a run leaves unfinished the
 * `jobs` timer resumes (the kinds are in domain/jobs/all-kinds.ts).
 *
 * A raw main, as for `housekeeping`: the timer has no caller, and a call carrying a user's
 * OPENID is refused. A malformed CALENDAR_OVERRIDES stops the run (CONFIG_MISSING): exporting
 * on a day the platform does not work would only be answered late.
 */
import { timerEventSchema } from '../../contracts/reminders';
import { makeCalendar, parseOverrides } from '../../domain/calendar/working-days';
import { shanghaiDateOf, shanghaiTimeOf } from '../../domain/dates';
import { anythingDue, BatchDoc, INSURANCE, openBatch, openExport, pollAnswers } from '../../domain/insurance/sync';
import { advanceJob } from '../../domain/jobs/jobs';
import { platformDeps } from '../../domain/platform-deps';
import { AppError } from '../../platform/errors';
import type { FunctionReply } from '../../platform/handler';
import { replyForError } from '../../platform/handler';
import { wxContextOpenid } from '../../platform/wx-cloud';

const BUDGET_MS = 40_000;

function exportHour(): number {
  const h = Number(process.env.INSURANCE_EXPORT_HOUR);
  return Number.isInteger(h) && h >= 0 && h <= 23 ? h : 17;
}

export interface SyncRunReport {
  today: string;
  workingDay: boolean;
  answerJobs: number;
  exportBatch: string | null;
  exportStatus: string | null;
}

export async function main(event: unknown): Promise<FunctionReply<SyncRunReport>> {
  try {
    if (wxContextOpenid()) throw new AppError('FORBIDDEN', '无权执行此操作');
    const { userInfo: _u, ...rest } = (event && typeof event === 'object' && !Array.isArray(event) ? event : {}) as Record<string, unknown>;
    if (!timerEventSchema.safeParse(rest).success) throw new AppError('INVALID_INPUT', '不是定时触发事件');
    let cal;
    try {
      cal = makeCalendar(parseOverrides(process.env.CALENDAR_OVERRIDES));
    } catch {
      throw new AppError('CONFIG_MISSING', '系统配置不完整，请联系管理员');
    }
    const started = Date.now();
    const deps = platformDeps();
    const now = deps.clock.now();
    const today = shanghaiDateOf(now);
    const report: SyncRunReport = { today, workingDay: cal.isWorkingDay(today), answerJobs: 0, exportBatch: null, exportStatus: null };

    let answerJobs: string[] = [];
    try {
      answerJobs = await pollAnswers(deps, null);
    } catch (err) {
      // The platform unreachable for answers: the export below still runs (and retries).
      if (!(err instanceof AppError)) throw err;
      console.warn('[insuranceSync] answers not fetched:', err.code);
    }
    report.answerJobs = answerJobs.length;
    for (const id of answerJobs) await advanceJob(deps, id, { budgetMs: Math.max(1, (BUDGET_MS / 2) / answerJobs.length) });

    if (report.workingDay && Number(shanghaiTimeOf(now).slice(0, 2)) >= exportHour()) {
      let batch: BatchDoc | null = await openExport(deps);
      if (!batch) {
        const [last] = await deps.db.find<BatchDoc>(INSURANCE.batches, { workDate: today, origin: 'timer' }, { orderBy: [['createdAt', 'desc']], limit: 1 });
        if ((!last || last.full) && (await anythingDue(deps))) batch = (await openBatch(deps, 'timer', null)).batch;
      }
      if (batch) {
        const job = await advanceJob(deps, batch.exportJobId, { budgetMs: Math.max(1, BUDGET_MS - (Date.now() - started)) });
        report.exportBatch = batch._id;
        report.exportStatus = job?.status ?? null;
      }
    }
    // Counts and batch numbers only: no persons.
    console.log('[insuranceSync]', `today=${today} workingDay=${report.workingDay} answers=${report.answerJobs} export=${report.exportBatch ?? '-'}:${report.exportStatus ?? '-'}`);
    return { ok: true, data: report };
  } catch (err) {
    return replyForError(err, 'insuranceSync');
  }
}

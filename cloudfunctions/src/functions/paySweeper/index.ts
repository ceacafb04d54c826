/**
 * `paySweeper`: the timer (config.json: every 5 minutes) that settles orders paid at WeChat Pay
 * but never settled, closes stale orders (retrying closes WeChat Pay refused), gives back claims
 * a crash left held, and drives refunds until WeChat Pay confirms them (domain/orders/sweeper.ts).
 *
 * A raw main, as for the other timers: a call that carries a user's OPENID (a client calling the
 * function by name) is refused; the event must be a timer event. "Now" comes from the clock port.
 */
import { timerEventSchema } from '../../contracts/reminders';
import { runSweep, SweepReport, SWEEP_BATCH, SWEEP_BUDGET_MS } from '../../domain/orders/sweeper';
import { platformDeps } from '../../domain/platform-deps';
import { AppError } from '../../platform/errors';
import type { FunctionReply } from '../../platform/handler';
import { replyForError } from '../../platform/handler';
import { wxContextOpenid } from '../../platform/wx-cloud';

/** PAY_SWEEPER_BUDGET_MS (optional): a shorter time guard. */
function budgetFromEnv(): number | undefined {
  const ms = Number(process.env.PAY_SWEEPER_BUDGET_MS);
  return Number.isInteger(ms) && ms >= 1 && ms <= SWEEP_BUDGET_MS ? ms : undefined;
}

/** PAY_SWEEPER_BATCH_SIZE (optional, 1–100): documents per read. */
function batchFromEnv(): number | undefined {
  const n = Number(process.env.PAY_SWEEPER_BATCH_SIZE);
  return Number.isInteger(n) && n >= 1 && n <= SWEEP_BATCH ? n : undefined;
}

export async function main(event: unknown): Promise<FunctionReply<SweepReport>> {
  try {
    if (wxContextOpenid()) throw new AppError('FORBIDDEN', '无权执行此操作');
    const { userInfo: _u, ...rest } = (event && typeof event === 'object' && !Array.isArray(event) ? event : {}) as Record<string, unknown>;
    if (!timerEventSchema.safeParse(rest).success) throw new AppError('INVALID_INPUT', '不是定时触发事件');
    const report = await runSweep(platformDeps(), { budgetMs: budgetFromEnv(), batchSize: batchFromEnv() });
    // Counts only: no order numbers, no persons.
    console.log('[paySweeper]', JSON.stringify(report));
    return { ok: true, data: report };
  } catch (err) {
    return replyForError(err, 'paySweeper');
  }
}

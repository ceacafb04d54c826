/**
 * Window reminders (window_open, window_closing): sent by the timer-triggered `reminders`
 * function to the residents who subscribed to them (users.subscriptions, see subscriptions.ts).
 *
 * - Which reminders are due is decided from the Asia/Shanghai date of the clock port and the
 *   policy tables' collection windows.
 * - Subscribers are read in pages of at most 100 (the cloud's cap per get), ordered by _id,
 *   with the last _id as the cursor.
 * - Idempotent and resumable: before sending, a `reminder_runs` record keyed by
 *   (template, date, openid) is inserted (unique index in indexes.json). A re-run the same day
 *   finds it and sends nothing. A run stopped by the time guard leaves its place in
 *   `reminder_cursors`; the next timer trigger (every 10 minutes, config.json) continues there.
 *   A record left in 'sending' (the run died between claim and send) is not retried: a missed
 *   reminder is better than a double one. A failed send removes its record so a re-run retries.
 * - WeChat subscribe messages are one-time per authorisation: the template is removed from the
 *   user's subscriptions once its message is sent.
 * - Logs carry counts only, never openids or family facts.
 */
import { DuplicateKeyError } from '../../platform/database';
import type { SubscribeMessage } from '../../platform/ports';
import { C, Deps } from '../context';
import { addDays, daysBetween, shanghaiDateOf } from '../dates';
import { PAID_STATES, EnrollmentDoc } from '../enrollments/enrollments';
import { linksOf, statusOf } from '../family/family';
import { listBenefitYears, policyTable } from '../policy-port';
import type { UserDoc } from '../consent/consent';
import { subscribeMessage } from './templates';

export const REMINDER_RUNS = 'reminder_runs';
export const REMINDER_CURSORS = 'reminder_cursors';

/**
 * Days before the window's last day on which window_closing goes out: a week ahead (time to
 * gather the family's documents and pay), and the day before the last day (a last call).
 * For the 2024 benefit year (window 2023-09-01 … 2023-12-31): 2023-12-24 and 2023-12-30.
 */
export const CLOSING_REMINDER_DAYS_BEFORE_END = [7, 1] as const;

/** The page a reminder opens: the home dashboard. */
export const REMINDER_PAGE = 'pages/index/index';

/**
 * [interpretation] A subscriber who has registered nobody yet has nobody paid either: they get
 * window_closing too (it is the reminder they asked for).
 */
export const REMIND_EMPTY_FAMILY = true;

/** Subscribers reminded at once: ~6 round trips each, so a page of 100 takes seconds, not minutes. */
export const SEND_CONCURRENCY = 5;

/**
 * Stop taking new subscribers after this long: the function's timeout is 60 s (config.json), and the
 * timer fires every 10 minutes from 10:00 to 20:50, each invocation continuing the day's run.
 */
export const DEFAULT_BUDGET_MS = 45_000;

export type WindowTemplate = 'window_open' | 'window_closing';

export interface DueReminder {
  template: WindowTemplate;
  benefitYear: number;
  window: { start: string; end: string };
}

export interface RunReport {
  date: string;
  due: Array<{ template: WindowTemplate; benefitYear: number }>;
  sent: number;
  alreadySent: number;
  notNeeded: number;
  failed: number;
  /** false: the time guard stopped this invocation; the next trigger continues the run. */
  complete: boolean;
  /** This invocation continued a run an earlier one had started. */
  resumed: boolean;
}

export interface ReminderRunDoc {
  _id: string;
  template: WindowTemplate;
  date: string;
  openid: string;
  benefitYear: number;
  status: 'sending' | 'sent';
  createdAt: string;
  sentAt?: string;
}

/** The reminders due on a Shanghai calendar date. */
export function dueReminders(today: string): DueReminder[] {
  const due: DueReminder[] = [];
  for (const benefitYear of listBenefitYears()) {
    const w = policyTable(benefitYear)?.collectionWindow as { start: string; end: string } | undefined;
    if (!w) continue;
    const window = { start: w.start, end: w.end };
    if (today === w.start) due.push({ template: 'window_open', benefitYear, window });
    if (CLOSING_REMINDER_DAYS_BEFORE_END.some((d) => addDays(w.end, -d) === today)) due.push({ template: 'window_closing', benefitYear, window });
  }
  return due;
}

/** The message of a due reminder; keys and types from config/subscribe-messages.json. */
export function reminderMessage(r: DueReminder, today: string, openid: string): SubscribeMessage {
  if (r.template === 'window_open') {
    return subscribeMessage('window_open', openid, REMINDER_PAGE, {
      title: `${r.benefitYear}年度居民医保开始缴费`,
      start: { date: r.window.start },
      end: { date: r.window.end },
      note: '可在小程序中为全家一起缴费',
    });
  }
  const left = daysBetween(today, r.window.end) + 1; // the last day included
  return subscribeMessage('window_closing', openid, REMINDER_PAGE, {
    title: `${r.benefitYear}年度居民医保缴费即将截止`,
    // The window closes at 23:59:59 CST of its last day (DESIGN.md, data rules).
    deadline: { at: new Date(`${r.window.end}T23:59:59+08:00`) },
    status: '尚未缴费',
    note: `还剩${left}天，请尽快为家人缴费`,
  });
}

/** True when someone linked to the openid is not paid (or enrolled) for the year. */
async function familyHasUnpaid(deps: Deps, openid: string, benefitYear: number): Promise<boolean> {
  // Only people the account may pay for now (a pending or disputed claim cannot pay).
  const links = (await linksOf(deps, openid)).filter((l) => statusOf(l) === 'active');
  if (links.length === 0) return REMIND_EMPTY_FAMILY;
  const personIds = [...new Set(links.map((l) => l.personId))];
  const enrollments = await deps.db.find<EnrollmentDoc>(C.enrollments, { personId: deps.db.cmd.in(personIds), benefitYear }, { limit: 100 });
  const paid = new Set(enrollments.filter((e) => PAID_STATES.includes(e.status)).map((e) => e.personId));
  return personIds.some((id) => !paid.has(id));
}

function runId(template: WindowTemplate, date: string, openid: string): string {
  return `${template}:${date}:${openid}`;
}

type Outcome = 'sent' | 'already_sent' | 'not_needed' | 'failed';

async function remindOne(deps: Deps, r: DueReminder, today: string, user: UserDoc & { _id: string }): Promise<Outcome> {
  const openid = user._id;
  if (r.template === 'window_closing' && !(await familyHasUnpaid(deps, openid, r.benefitYear))) return 'not_needed';
  const id = runId(r.template, today, openid);
  const run: ReminderRunDoc = { _id: id, template: r.template, date: today, openid, benefitYear: r.benefitYear, status: 'sending', createdAt: deps.clock.now().toISOString() };
  try {
    await deps.db.insert(REMINDER_RUNS, run);
  } catch (err) {
    if (err instanceof DuplicateKeyError) return 'already_sent';
    throw err;
  }
  try {
    await deps.messages.sendSubscribe(reminderMessage(r, today, openid));
  } catch {
    await deps.db.remove(REMINDER_RUNS, id).catch(() => undefined);
    return 'failed';
  }
  // One-time authorisation: used up by this message.
  const fresh = await deps.db.get<UserDoc>(C.users, openid);
  const left = (fresh?.subscriptions ?? []).filter((t) => t !== r.template);
  await deps.db.update(C.users, openid, { subscriptions: deps.db.cmd.set(left) });
  await deps.db.update(REMINDER_RUNS, id, { status: 'sent', sentAt: deps.clock.now().toISOString() });
  return 'sent';
}

/**
 * Where the day's run stands (one document per Shanghai date): the due reminder being walked and
 * the last subscriber _id done. Each timer invocation continues from it, so a run cut short by
 * the time guard (or killed at the function's timeout) is finished by the next trigger, and a
 * finished day costs one read per trigger.
 */
export interface ReminderCursorDoc {
  _id: string; // the date
  date: string;
  step: number;
  cursor: string;
  complete: boolean;
  invocations: number;
  updatedAt: string;
}

/**
 * Sends the reminders due today, continuing where the day's previous invocation stopped. Safe to
 * run any number of times a day. At least one page is done per invocation, so a run always
 * moves forward, however small the budget.
 */
export async function runWindowReminders(deps: Deps, options: { budgetMs?: number; pageSize?: number } = {}): Promise<RunReport> {
  const started = Date.now();
  const budget = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const pageSize = Math.min(options.pageSize ?? 100, 100);
  const today = shanghaiDateOf(deps.clock.now());
  const due = dueReminders(today);
  const report: RunReport = { date: today, due: due.map(({ template, benefitYear }) => ({ template, benefitYear })), sent: 0, alreadySent: 0, notNeeded: 0, failed: 0, complete: true, resumed: false };
  if (due.length === 0) return report;
  const state = await deps.db.get<ReminderCursorDoc>(REMINDER_CURSORS, today);
  if (state?.complete) return report;
  report.resumed = state !== null;
  let step = state?.step ?? 0;
  let cursor = state?.cursor ?? '';
  const save = (complete: boolean) =>
    deps.db.set(REMINDER_CURSORS, today, { date: today, step, cursor, complete, invocations: (state?.invocations ?? 0) + 1, updatedAt: deps.clock.now().toISOString() });
  let done = 0; // subscribers handled by this invocation
  const count = (outcome: Outcome) => {
    if (outcome === 'sent') report.sent += 1;
    else if (outcome === 'already_sent') report.alreadySent += 1;
    else if (outcome === 'not_needed') report.notNeeded += 1;
    else report.failed += 1;
  };
  for (; step < due.length; step++, cursor = '') {
    const r = due[step];
    for (;;) {
      const filter: Record<string, unknown> = { subscriptions: r.template };
      if (cursor) filter._id = deps.db.cmd.gt(cursor);
      const page = await deps.db.find<UserDoc>(C.users, filter, { orderBy: [['_id', 'asc']], limit: pageSize });
      // A few subscribers at a time (each is several round trips), the guard checked between
      // batches: a page of 100 can outlast the function's timeout, a batch cannot.
      for (let i = 0; i < page.length; i += SEND_CONCURRENCY) {
        if (done > 0 && Date.now() - started > budget) {
          report.complete = false;
          await save(false);
          return report;
        }
        const batch = page.slice(i, i + SEND_CONCURRENCY);
        for (const outcome of await Promise.all(batch.map((user) => remindOne(deps, r, today, user)))) count(outcome);
        done += batch.length;
        cursor = batch[batch.length - 1]._id;
      }
      if (page.length < pageSize) break;
      // Kept after every page: a run killed at the timeout loses at most one page of progress
      // (whose messages the run records keep from going out twice).
      await save(false);
    }
  }
  await save(true);
  return report;
}

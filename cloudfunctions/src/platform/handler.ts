/**
 * Turns a typed handler into a cloud function's `main(event, context)`.
 *
 * Every function: validates its event with a strict zod schema (unknown keys and
 * operator objects never reach the domain), takes the caller from the platform,
 * never from the event, and replies with the envelope of `contracts/envelope.ts`.
 * Internal errors are logged without the event (it may hold personal data).
 */
import type { z } from 'zod';
import { AppError, INTERNAL_MESSAGE } from './errors';
import { callerFromPlatform, platformClock } from './wx-cloud';
import type { Caller, Clock } from './ports';
import type { Reply } from '../contracts/envelope';
import { CALENDAR_DATE_MESSAGE } from '../policy/dates';

export interface FunctionContext {
  caller: Caller;
  clock: Clock;
}

/** The reply envelope is the contract shared with the client. */
export type FunctionReply<T> = Reply<T>;

/** Strip the fields the platform adds to every event (userInfo, and its own keys). */
function platformFree(event: unknown): unknown {
  if (!event || typeof event !== 'object' || Array.isArray(event)) return event;
  const { userInfo: _userInfo, ...rest } = event as Record<string, unknown>;
  return rest;
}

export function replyForError(err: unknown, functionName: string): FunctionReply<never> {
  if (err instanceof AppError) {
    return { ok: false, error: { code: err.code, message: err.userMessage, ...(err.field ? { field: err.field } : {}) } };
  }
  // Name and stack only: messages of lower layers may quote document contents.
  // The stack's first line repeats the message, so only the frames below it are kept.
  const frames = (err as Error)?.stack?.split('\n').slice(1, 5).map((line) => line.trim()).join(' | ');
  console.error(`[${functionName}] internal error`, (err as Error)?.name ?? typeof err, frames ?? '');
  return { ok: false, error: { code: 'INTERNAL', message: INTERNAL_MESSAGE } };
}

export function invalidEventError(issues: z.core.$ZodIssue[]): AppError {
  const first = issues[0];
  const field = first?.path?.map(String).join('.') || undefined;
  // A date that does not exist (contracts' isoDateSchema) gets its own code and words.
  if (first?.message === CALENDAR_DATE_MESSAGE) return new AppError('INVALID_DATE', CALENDAR_DATE_MESSAGE, field);
  return new AppError('INVALID_INPUT', '提交的信息不完整或格式不对，请检查后重试', field);
}

/**
 * Work every invocation needs before its handler runs, registered by the domain (platform code
 * never imports it): today, loading the policy tables the city centre published, once per
 * invocation and at the invocation's clock.
 */
const invocationHooks: Array<(clock: Clock) => Promise<void>> = [];
export function beforeEachInvocation(hook: (clock: Clock) => Promise<void>): void {
  if (!invocationHooks.includes(hook)) invocationHooks.push(hook);
}

export function defineFunction<S extends z.ZodType, R>(
  name: string,
  eventSchema: S,
  handle: (event: z.infer<S>, ctx: FunctionContext) => Promise<R>,
  options: { requireCaller?: boolean } = {},
) {
  return async function main(event: unknown): Promise<FunctionReply<R>> {
    try {
      const parsed = eventSchema.safeParse(platformFree(event));
      if (!parsed.success) throw invalidEventError(parsed.error.issues);
      const caller = options.requireCaller === false ? { openid: '' } : callerFromPlatform();
      for (const hook of invocationHooks) await hook(platformClock);
      const data = await handle(parsed.data, { caller, clock: platformClock });
      return { ok: true, data };
    } catch (err) {
      return replyForError(err, name);
    }
  };
}

/**
 * The reply envelope every cloud function returns, shared by the functions and the client.
 *
 *   { ok: true,  data }                               success
 *   { ok: false, error: { code, message, field? } }   failure; `message` is plain Simplified
 *                                                     Chinese, shown to the person as it is;
 *                                                     `field` names the input it concerns.
 *
 * The client parses every reply with `replyEnvelope(dataSchema)`: a reply that does not match
 * is rejected instead of being trusted.
 */
import * as z from 'zod';
import { lazySchema } from '../policy/lazy-schema';

export const replyErrorSchema = lazySchema(() =>
  z.object({
    code: z.string().min(1),
    message: z.string(),
    field: z.string().optional(),
  }),
);

export type ReplyError = z.infer<typeof replyErrorSchema>;

/** The envelope around a function's data schema. */
export function replyEnvelope<T extends z.ZodType>(dataSchema: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), data: dataSchema }),
    z.object({ ok: z.literal(false), error: replyErrorSchema }),
  ]);
}

/** A function's reply, for data of type T. */
export type Reply<T> = { ok: true; data: T } | { ok: false; error: ReplyError };

export const ok = <T>(data: T): Reply<T> => ({ ok: true, data });
export const fail = (code: string, message: string, field?: string): Reply<never> => ({
  ok: false,
  error: field ? { code, message, field } : { code, message },
});

/**
 * What a staff page sees of a job (domain/jobs/jobs.ts): status, phase, progress and, once done,
 * the kind's report. Each staff function that starts jobs replies `jobViewSchema(itsReport)`.
 * No Node imports: this file is bundled into the mini-program.
 */
import * as z from 'zod';
import { lazySchema } from '../policy/lazy-schema';

export const jobIdSchema = z.string().regex(/^job-[0-9a-f]{32}$/);

export const jobStatusSchema = lazySchema(() => z.enum(['running', 'done', 'failed']));

export function jobViewSchema<R extends z.ZodType>(report: R) {
  return z.object({
    jobId: jobIdSchema,
    kind: z.string(),
    status: jobStatusSchema,
    phase: z.string(),
    progress: z.object({ done: z.number().int().min(0), total: z.number().int().min(0).nullable() }),
    report: report.nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    startedBy: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  });
}

/** A staff upload ticket: where the page puts the file (the caller's own folder) and the size cap. */
export const uploadTicketSchema = z.object({ cloudPath: z.string(), maxBytes: z.number().int() });

/** A file the function wrote (an export): a short-lived URL and its name. */
export const exportFileSchema = lazySchema(() => z.object({ url: z.string(), fileName: z.string(), rows: z.number().int().min(0) }));

/**
 * Small schemas shared by the resident and payment contracts.
 * No Node imports: this file is bundled into the mini-program (so is policy/dates.ts, the one
 * date module, compiled with the contracts: config/index.ts).
 * Every schema here is a lazySchema, like those of ./person-fields and the resident replies: the
 * home page loads these modules, and building ~60 schema nodes while they load cost ~170 ms of
 * the throttled phone profile's main thread before the status (issue 15's profile); each is now
 * built the first time a parse needs it.
 */
import * as z from 'zod';
import { CALENDAR_DATE_MESSAGE, isCalendarDate } from '../policy/dates';
import { lazySchema } from '../policy/lazy-schema';

/** Document ids (the cloud's _id): letters, digits, '-' and '_'. */
export const docIdSchema = lazySchema(() => z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/));
/**
 * A calendar date in Asia/Shanghai that exists: 2023-02-30 is refused here, where it enters,
 * with INVALID_DATE (platform/handler.ts), and never stored. Every contract's date is this one.
 */
export const isoDateSchema = lazySchema(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, CALENDAR_DATE_MESSAGE).refine((s): boolean => isCalendarDate(s), CALENDAR_DATE_MESSAGE)); // a plain boolean (no type predicate): the inferred type stays string
export const benefitYearSchema = lazySchema(() => z.number().int().min(2000).max(2100));
/** Integer fen (1 yuan = 100 fen). */
export const fenSchema = lazySchema(() => z.number().int().min(0));
export const outTradeNoSchema = lazySchema(() => z.string().min(6).max(32).regex(/^[A-Za-z0-9_-]+$/));

export const sexSchema = lazySchema(() => z.enum(['male', 'female']));
export const hukouSchema = lazySchema(() => z.enum(['local', 'nonlocal', 'foreign']));
export const relationSchema = lazySchema(() => z.enum(['self', 'spouse', 'child', 'parent']));

/** A person's name as printed on the ID: Chinese (with the middle dot) or Latin letters. */
export const personNameSchema = lazySchema(() => z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(/^[\u4e00-\u9fa5\u3400-\u4dbf·•A-Za-z .'-]+$/));

/** The engine's answer, as the client shows it. The client never computes money. */
export const quoteViewSchema = lazySchema(() =>
  z.strictObject({
    benefitYear: benefitYearSchema,
    scheme: z.string(),
    eligible: z.boolean(),
    basis: z.string().nullable(),
    /** Plain Chinese reasons (why not eligible, or what was assumed). */
    reasons: z.array(z.string()),
    windowOpen: z.boolean(),
    newborn: z.boolean(),
    window: z.strictObject({ start: isoDateSchema, end: isoDateSchema }),
    benefitPeriod: z.strictObject({ start: isoDateSchema, end: isoDateSchema }),
    individualContributionFen: fenSchema,
    assistanceCategory: z.string().nullable(),
    assistancePercent: z.number().min(0).max(100),
    assistanceFen: fenSchema,
    /** null: the amount is not known (e.g. not eligible). */
    payableFen: fenSchema.nullable(),
    /** Plain Chinese lines explaining the amount, one tap away on the page. */
    explanation: z.array(z.string()),
  }),
);
export type QuoteView = z.infer<typeof quoteViewSchema>;

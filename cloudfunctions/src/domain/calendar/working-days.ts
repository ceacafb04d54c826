/**
 * Working days (工作日) of mainland China: Monday–Friday, minus the public holidays the State
 * Council publishes each year, plus the make-up working days (调休) it moves onto weekends.
 *
 * The published calendars come from `chinese-days` (its data file only: 2004 up to the latest
 * year the package knows). A year is usually published in November or December of the year
 * before, sometimes later than a release of this code; `CALENDAR_OVERRIDES` (a function's
 * environment variable, JSON) adds or corrects days without a release:
 *
 *   {"holidays": ["2027-01-01", ...], "workdays": ["2027-02-07", ...]}
 *
 * An override wins over the package. For a year nobody has published yet only weekends are
 * known: `calendarKnown(year)` says so, and every date computed from it is an estimate.
 */
import * as z from 'zod';
import { addDays } from '../dates';

export interface CalendarOverrides {
  holidays: string[];
  workdays: string[];
}

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const overridesSchema = z.strictObject({ holidays: z.array(isoDay).max(400).default([]), workdays: z.array(isoDay).max(400).default([]) });

interface Published {
  holidays: Set<string>;
  workdays: Set<string>;
  years: Set<number>;
}
let published: Published | null = null;

/**
 * The package's calendar (~45 KB of dates), read at the first question about a working day: a
 * function that never asks (most invocations of most functions) does not pay for it at cold start.
 */
function publishedCalendar(): Published {
  if (!published) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const calendar = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };
    const holidays = new Set(Object.keys(calendar.holidays));
    published = { holidays, workdays: new Set(Object.keys(calendar.workdays)), years: new Set([...holidays].map((d) => Number(d.slice(0, 4)))) };
  }
  return published;
}

export const NO_OVERRIDES: CalendarOverrides = { holidays: [], workdays: [] };

/** Parses the CALENDAR_OVERRIDES value; throws on anything malformed (callers decide how loud). */
export function parseOverrides(raw: string | undefined): CalendarOverrides {
  if (!raw || !raw.trim()) return NO_OVERRIDES;
  return overridesSchema.parse(JSON.parse(raw));
}

let cached: { raw: string | undefined; value: CalendarOverrides } | null = null;

/**
 * The overrides of this function's environment. A malformed value is ignored with one warning:
 * a payment must not fail because of a typo in an estimate's calendar (the export timer checks
 * it strictly through `parseOverrides`).
 */
export function overridesFromEnv(env: NodeJS.ProcessEnv = process.env): CalendarOverrides {
  const raw = env.CALENDAR_OVERRIDES;
  if (cached && cached.raw === raw) return cached.value;
  let value = NO_OVERRIDES;
  try {
    value = parseOverrides(raw);
  } catch {
    console.warn('[working-days] CALENDAR_OVERRIDES is not valid JSON of {holidays, workdays}: ignored');
  }
  cached = { raw, value };
  return value;
}

export interface Calendar {
  isWorkingDay(date: string): boolean;
  /** Whether the year's holidays are published (in the package or the overrides). */
  known(year: number): boolean;
}

export function makeCalendar(overrides: CalendarOverrides = overridesFromEnv()): Calendar {
  const holidays = new Set(overrides.holidays);
  const workdays = new Set(overrides.workdays);
  const overriddenYears = new Set([...holidays, ...workdays].map((d) => Number(d.slice(0, 4))));
  return {
    isWorkingDay(date) {
      if (workdays.has(date)) return true;
      if (holidays.has(date)) return false;
      if (publishedCalendar().workdays.has(date)) return true;
      if (publishedCalendar().holidays.has(date)) return false;
      const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
      return dow !== 0 && dow !== 6;
    },
    known(year) {
      return publishedCalendar().years.has(year) || overriddenYears.has(year);
    },
  };
}

/** Whether `date` ('YYYY-MM-DD', Shanghai) is a working day. */
export function isWorkingDay(date: string, cal: Calendar = makeCalendar()): boolean {
  return cal.isWorkingDay(date);
}

/** The date `n` working days after `date` (n ≥ 1; `date` itself does not count). */
export function addWorkingDays(date: string, n: number, cal: Calendar = makeCalendar()): string {
  let d = date;
  let left = n;
  // A year has at most ~250 working days; 3 × 366 bounds a bad calendar without looping forever.
  for (let guard = 0; left > 0 && guard < 3 * 366; guard++) {
    d = addDays(d, 1);
    if (cal.isWorkingDay(d)) left -= 1;
  }
  return d;
}

/** Working days after `from` up to and including `to` (0 when `to` is not later). */
export function workingDaysBetween(from: string, to: string, cal: Calendar = makeCalendar()): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (cal.isWorkingDay(d)) n += 1;
  return n;
}

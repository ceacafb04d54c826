/**
 * The one date module: calendar dates as 'YYYY-MM-DD' strings in Asia/Shanghai (China Standard
 * Time, UTC+8), and every piece of calendar arithmetic the engine and the domain do.
 *
 * Arithmetic is dayjs's (core + the utc plugin) rather than hand-written: a date is read as UTC
 * midnight of that day, and an instant's Shanghai date is its time at a fixed +08:00 offset.
 * Checking a date, its year and an age are read from the text (checked 'YYYY-MM-DD' strings
 * compare and slice exactly like the dates they name): the policy engine does these on every
 * quote and ID number, and a dayjs object each time was most of their cost (issue 15).
 * China has not observed daylight-saving time since 1991, so the fixed offset is exact for every
 * date the system handles, and it needs neither Intl nor a time-zone database (absent or
 * different in Node 16 cloud functions, the WeChat JS engine and browsers; dayjs's timezone
 * plugin would need them). Dates compare correctly as strings ('2023-09-01' < '2023-12-31').
 *
 * `CalendarDate` is the one strict date type: a string that names a day that exists. Every date
 * that enters the system is checked with `isCalendarDate` (the contracts' `isoDateSchema`, the
 * policy tables' schema, the ID-number parser), so 2023-02-30 is refused where it arrives
 * instead of failing later in a quote.
 *
 * `domain/dates.ts` re-exports the domain's part of this module under the names it always had.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);

export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const SHANGHAI_OFFSET_MINUTES = 8 * 60;
const FORMAT = 'YYYY-MM-DD';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A 'YYYY-MM-DD' string naming a day that exists (years 1800..2999). Made only by isCalendarDate / parseCalendarDate. */
export type CalendarDate = string & { readonly __calendarDate: true };

/** Said to residents and staff when a date does not exist (2023-02-30) or is malformed. */
export const CALENDAR_DATE_MESSAGE = '日期不存在，请按“年-月-日”填写真实的日期';

/**
 * True for a real calendar date written 'YYYY-MM-DD' (years 1800..2999): a month 1–12 and a day
 * within that month's length (2023-02-30 is refused, not rolled over to 03-02). Checked on the
 * text with the month's length from Date.UTC rather than by a dayjs round trip: every quote and
 * every ID number passes here several times, and the round trip was most of their cost (issue 15:
 * ~60 % of an ID parse, which has a 5 µs budget).
 */
export function isCalendarDate(s: unknown): s is CalendarDate {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const month = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1800 || y > 2999 || month < 1 || month > 12 || d < 1) return false;
  return d <= 28 || d <= daysInMonth(y, month); // every month has 28 days: most dates need no Date
}

/** The date, or a RangeError that never repeats it (a birth date is personal data). */
export function parseCalendarDate(s: unknown): CalendarDate {
  if (!isCalendarDate(s)) throw new RangeError('invalid calendar date');
  return s;
}

/** Same check under its historical name (policy schema, ID numbers). */
export function isValidDate(s: string): boolean {
  return isCalendarDate(s);
}

/** UTC midnight of a calendar date, as dayjs; throws on a date that does not exist. */
function day(date: string): dayjs.Dayjs {
  return dayjs.utc(parseCalendarDate(date));
}

export function isLeapYear(y: number): boolean {
  return daysInMonth(y, 2) === 29;
}

/** Days in month `m` (1–12) of year `y`: day 0 of the next month is this month's last day. */
export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function pad(n: number, w: number): string {
  let s = String(n);
  while (s.length < w) s = '0' + s;
  return s;
}

/** 'YYYY-MM-DD' from numbers (no check: pair it with isCalendarDate). */
export function formatDate(y: number, m: number, d: number): string {
  return pad(y, 4) + '-' + pad(m, 2) + '-' + pad(d, 2);
}

function instantMs(instant: Date | number | string): number {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  if (typeof ms !== 'number' || !isFinite(ms)) throw new RangeError('invalid instant');
  return ms;
}

/**
 * The Asia/Shanghai calendar date of an instant: a Date, epoch milliseconds, or an ISO 8601
 * string with an offset or 'Z' (e.g. '2023-12-31T16:30:00Z' → '2024-01-01').
 */
export function shanghaiDate(instant: Date | number | string): CalendarDate {
  return dayjs(instantMs(instant)).utcOffset(SHANGHAI_OFFSET_MINUTES).format(FORMAT) as CalendarDate;
}

/** Instant → Shanghai calendar date (the domain's name). */
export function shanghaiDateOf(instant: Date): CalendarDate {
  return shanghaiDate(instant);
}

/** Instant → Shanghai wall-clock time, HH:mm. */
export function shanghaiTimeOf(instant: Date): string {
  return dayjs(instantMs(instant)).utcOffset(SHANGHAI_OFFSET_MINUTES).format('HH:mm');
}

export function yearOf(date: string): number {
  return Number(parseCalendarDate(date).slice(0, 4));
}

/**
 * Completed years of age on `onDate` of a person born on `birthDate` (both 'YYYY-MM-DD').
 * A birthday on 02-29 is reached on 03-01 in common years (the month-day text compares below
 * 02-29 until then; dayjs's own year diff would count it on 02-28). Returns -1 before birth.
 */
export function ageOn(birthDate: string, onDate: string): number {
  const born = parseCalendarDate(birthDate);
  const on = parseCalendarDate(onDate);
  if (on < born) return -1;
  let age = Number(on.slice(0, 4)) - Number(born.slice(0, 4));
  if (on.slice(5) < born.slice(5)) age -= 1;
  return age;
}

/** Inclusive range test on date strings. */
export function inRange(date: string, start: string, end: string): boolean {
  return date >= start && date <= end;
}

export function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return day(b).diff(day(a), 'day');
}

export function addDays(date: string, days: number): CalendarDate {
  return day(date).add(days, 'day').format(FORMAT) as CalendarDate;
}

/**
 * The date `n` working days after `date`, counting Monday–Friday only.
 * [interpretation] Public holidays and the make-up working days of the Chinese calendar are
 * not modelled here (domain/calendar/working-days.ts does, with chinese-days): the date shown
 * is an estimate ("预计"), the 2023 scheme says "two working days".
 */
export function addWorkingDays(date: string, n: number): CalendarDate {
  let d = day(date);
  let left = n;
  while (left > 0) {
    d = d.add(1, 'day');
    if (d.day() !== 0 && d.day() !== 6) left -= 1;
  }
  return d.format(FORMAT) as CalendarDate;
}

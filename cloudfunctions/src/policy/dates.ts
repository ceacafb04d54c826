/**
 * Calendar dates as 'YYYY-MM-DD' strings in Asia/Shanghai (China Standard Time, UTC+8).
 *
 * China has not observed daylight-saving time since 1991, so the Shanghai calendar date of an
 * instant is the UTC date of (instant + 8 h). Plain arithmetic on epoch milliseconds: no Intl,
 * no time-zone database, so it behaves the same in Node 16 cloud functions, the WeChat
 * JS engine and browsers. Dates compare correctly as strings ('2023-09-01' < '2023-12-31').
 */

export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** True for a real calendar date written 'YYYY-MM-DD' (years 1800..2999). */
export function isValidDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1800 || y > 2999 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

function pad(n: number, w: number): string {
  let s = String(n);
  while (s.length < w) s = '0' + s;
  return s;
}

export function formatDate(y: number, m: number, d: number): string {
  return pad(y, 4) + '-' + pad(m, 2) + '-' + pad(d, 2);
}

/**
 * The Asia/Shanghai calendar date of an instant: a Date, epoch milliseconds, or an ISO 8601
 * string with an offset or 'Z' (e.g. '2023-12-31T16:30:00Z' → '2024-01-01').
 */
export function shanghaiDate(instant: Date | number | string): string {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  if (typeof ms !== 'number' || !isFinite(ms)) throw new RangeError('invalid instant');
  const shifted = new Date(ms + SHANGHAI_OFFSET_MS);
  return formatDate(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/**
 * Completed years of age on `onDate` of a person born on `birthDate` (both 'YYYY-MM-DD').
 * A birthday on 02-29 is reached on 03-01 in common years. Returns -1 before birth.
 */
export function ageOn(birthDate: string, onDate: string): number {
  if (onDate < birthDate) return -1;
  let age = yearOf(onDate) - yearOf(birthDate);
  if (onDate.slice(5) < birthDate.slice(5)) age -= 1;
  return age;
}

/** Inclusive range test on date strings. */
export function inRange(date: string, start: string, end: string): boolean {
  return date >= start && date <= end;
}

export function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

/**
 * Calendar arithmetic on 'YYYY-MM-DD' strings (Asia/Shanghai dates).
 */
const DAY_MS = 86_400_000;

function utcMs(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((utcMs(b) - utcMs(a)) / DAY_MS);
}

export function addDays(date: string, days: number): string {
  return fromUtcMs(utcMs(date) + days * DAY_MS);
}

/**
 * The date `n` working days after `date`, counting Monday–Friday only.
 * [interpretation] Public holidays and the make-up working days of the Chinese calendar are
 * not modelled: the date shown is an estimate ("预计"), the 2023 scheme says "two working days".
 */
export function addWorkingDays(date: string, n: number): string {
  let d = date;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    const dow = new Date(utcMs(d)).getUTCDay();
    if (dow !== 0 && dow !== 6) left -= 1;
  }
  return d;
}

/** ISO instant → Shanghai calendar date. */
export function shanghaiDateOf(instant: Date): string {
  return fromUtcMs(instant.getTime() + 8 * 3_600_000);
}

/** ISO instant → Shanghai wall-clock time, HH:mm. */
export function shanghaiTimeOf(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(11, 16);
}

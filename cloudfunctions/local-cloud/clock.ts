/**
 * The local cloud's movable clock. It starts at `--now` (or the machine time) and
 * then runs forward with the machine clock; POST /api/clock moves it.
 */
export class Clock {
  private offsetMs = 0;

  constructor(start?: Date) {
    if (start) this.set(start);
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  offset(): number {
    return this.offsetMs;
  }

  set(instant: Date): void {
    if (Number.isNaN(instant.getTime())) throw new Error('invalid instant');
    this.offsetMs = instant.getTime() - Date.now();
  }
}

/** Accepts ISO instants, also the short form 2023-10-08T10:00+08:00. */
export function parseInstant(text: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new Error(`invalid instant: ${text}`);
  return d;
}

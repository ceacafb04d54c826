/**
 * The local cloud's movable clock. It starts at `--now` (or the machine time) and
 * then runs forward with the machine clock; POST /api/clock moves it.
 *
 * With a file (`<data>/clock.json`), every move is saved (its offset from the machine clock),
 * so a restart without `--now` keeps the moved clock instead of jumping to today's date.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'fs';

export class Clock {
  private offsetMs = 0;

  constructor(
    start?: Date,
    private readonly file?: string,
  ) {
    if (start) this.set(start);
    else if (file) this.offsetMs = Clock.saved(file) ?? 0;
  }

  /** The saved offset of a data folder's clock, if one was ever moved. */
  static saved(file: string): number | undefined {
    if (!existsSync(file)) return undefined;
    try {
      const offset = JSON.parse(readFileSync(file, 'utf8')).offsetMs;
      return Number.isFinite(offset) ? offset : undefined;
    } catch {
      return undefined; // a damaged file is a clock never moved, not a failed start
    }
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
    if (this.file) {
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify({ offsetMs: this.offsetMs, setTo: instant.toISOString(), savedAt: new Date().toISOString() }) + '\n');
      renameSync(tmp, this.file);
    }
  }
}

/** Accepts ISO instants, also the short form 2023-10-08T10:00+08:00. */
export function parseInstant(text: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new Error(`invalid instant: ${text}`);
  return d;
}

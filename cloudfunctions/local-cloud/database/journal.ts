/**
 * Durable storage of the local cloud: a snapshot (written by atomic rename) plus an
 * append-only journal. Every journal line is `<checksum> <canonical EJSON>\n`,
 * written and fsync'ed before a write is acknowledged. Replay ignores a torn or
 * corrupt last line (a crash mid-write) and truncates it away so later appends
 * start on a clean line.
 */
import { createHash } from 'crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, truncateSync, writeSync } from 'fs';
import { join } from 'path';
import { EJSON } from 'bson';

export type Doc = Record<string, any> & { _id: string };

export type JournalRecord =
  | { op: 'coll'; c: string }
  | { op: 'put'; c: string; d: Doc }
  | { op: 'del'; c: string; id: string }
  | { op: 'batch'; ops: JournalRecord[] };

export interface Snapshot {
  collections: Record<string, Doc[]>;
}

function checksum(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function encodeLine(rec: unknown): string {
  const json = EJSON.stringify(rec as any, { relaxed: false });
  return `${checksum(json)} ${json}\n`;
}

/** Parses one journal line; undefined when it is torn or corrupt. */
export function decodeLine(line: string): any | undefined {
  const space = line.indexOf(' ');
  if (space !== 16) return undefined;
  const sum = line.slice(0, 16);
  const json = line.slice(17);
  if (checksum(json) !== sum) return undefined;
  try {
    return EJSON.parse(json, { relaxed: true });
  } catch {
    return undefined;
  }
}

export class Journal {
  private fd: number | undefined;
  readonly journalPath: string;
  readonly snapshotPath: string;
  /** Lines skipped at the last open (torn tail or corruption). */
  skipped = 0;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.journalPath = join(dir, 'journal.log');
    this.snapshotPath = join(dir, 'snapshot.json');
  }

  /** Reads snapshot + journal; returns the snapshot and the records to replay after it. */
  load(): { snapshot: Snapshot; records: JournalRecord[] } {
    let snapshot: Snapshot = { collections: {} };
    if (existsSync(this.snapshotPath)) {
      const text = readFileSync(this.snapshotPath, 'utf8');
      const parsed = decodeLine(text.endsWith('\n') ? text.slice(0, -1) : text);
      if (!parsed) throw new Error(`local cloud: snapshot ${this.snapshotPath} is corrupt`);
      snapshot = parsed as Snapshot;
    }
    const records: JournalRecord[] = [];
    if (existsSync(this.journalPath)) {
      const buf = readFileSync(this.journalPath);
      let pos = 0;
      let goodEnd = 0;
      while (pos < buf.length) {
        const nl = buf.indexOf(0x0a, pos);
        const end = nl === -1 ? buf.length : nl;
        const line = buf.subarray(pos, end).toString('utf8');
        const rec = nl === -1 ? undefined : decodeLine(line);
        if (rec) {
          records.push(rec as JournalRecord);
          goodEnd = end + 1;
        } else if (line.length > 0) {
          this.skipped++;
          // A bad line in the middle means lost data after it would be replayed out of
          // order; only a torn tail is expected. Stop at the first bad line either way.
          break;
        } else {
          goodEnd = end + 1;
        }
        pos = end + 1;
      }
      if (goodEnd < buf.length) truncateSync(this.journalPath, goodEnd);
    }
    return { snapshot, records };
  }

  /** Writes a fresh snapshot atomically, then empties the journal. */
  compact(snapshot: Snapshot): void {
    const tmp = `${this.snapshotPath}.tmp`;
    const fd = openSync(tmp, 'w');
    writeSync(fd, encodeLine(snapshot));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.snapshotPath);
    this.fsyncDir();
    // Replaying the old journal over the new snapshot is harmless (whole-document
    // puts and deletes), so a crash between the rename and this truncate loses nothing.
    this.closeFd();
    const jfd = openSync(this.journalPath, 'w');
    fsyncSync(jfd);
    closeSync(jfd);
  }

  append(rec: JournalRecord): void {
    if (this.fd === undefined) this.fd = openSync(this.journalPath, 'a');
    const line = Buffer.from(encodeLine(rec), 'utf8');
    let off = 0;
    while (off < line.length) off += writeSync(this.fd, line, off, line.length - off);
    fsyncSync(this.fd);
  }

  close(): void {
    this.closeFd();
  }

  private closeFd(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private fsyncDir(): void {
    try {
      const dfd = openSync(this.dir, 'r');
      fsyncSync(dfd);
      closeSync(dfd);
    } catch {
      /* not supported on every platform */
    }
  }
}

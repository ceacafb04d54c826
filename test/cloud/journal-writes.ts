/**
 * What a call wrote, read from the local cloud's journal (db/journal.log, one line per committed
 * write, appended before the reply): the size before the call, then the collections of the lines
 * added since. Used where a test must prove a refused call wrote nothing.
 */
import { closeSync, openSync, readSync, statSync } from 'fs';
import { join } from 'path';
import { decodeLine } from '../../cloudfunctions/local-cloud/database/journal';

export const journalOf = (dataDir: string) => join(dataDir, 'db', 'journal.log');

export function journalSize(journal: string): number {
  return statSync(journal).size;
}

/** The collections written since `from` (one entry per written document). */
export function journalWritesSince(journal: string, from: number): string[] {
  const size = statSync(journal).size;
  if (size === from) return [];
  const buf = Buffer.alloc(size - from);
  const fd = openSync(journal, 'r');
  try {
    readSync(fd, buf, 0, buf.length, from);
  } finally {
    closeSync(fd);
  }
  const colls: string[] = [];
  const walk = (r: any) => (r?.op === 'batch' ? r.ops.forEach(walk) : r?.c && colls.push(r.c));
  for (const line of buf.toString('utf8').split('\n')) if (line) walk(decodeLine(line));
  return colls;
}

/**
 * The personal-data scan run after the suite (global-teardown.ts): every data folder the parts
 * registered — every collection and the storage metadata (the snapshot and the journal, which
 * hold both), the journal's history of every write — and every log line (the local cloud's and
 * the functions' output, and the in-process fuzz's console) are searched for
 * - an ID number in plain text: 18 characters of GB 11643 shape whose check character is right;
 * - a mobile number in plain text: 11 digits 1[3-9]xxxxxxxxx standing alone;
 * - an ID number rebuildable from plain fields: for every number the suite registered, a mask
 *   showing more than 3 + 4 characters, or the birth date (or its year and month, or the age)
 *   in plain text beside the person.
 * Uploaded file bytes (residents' photos of their own documents, by design) are not scanned.
 */
import { createHmac } from 'crypto';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { decodeLine } from '../../cloudfunctions/local-cloud/database/journal';
import { idCheckCharacter } from '../../cloudfunctions/src/policy';

const ID_RE = /(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])/g;
const MOBILE_RE = /(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/g;

export interface Leak {
  kind: 'id_number' | 'mobile' | 'rebuildable_id';
  where: string;
  /** Masked: the report itself must not print the number. */
  sample: string;
}

const mask = (s: string) => `${s.slice(0, 3)}***${s.slice(-2)}`;

/** Plain ID and mobile numbers in a text. */
export function plainNumbers(text: string, where: string): Leak[] {
  const leaks: Leak[] = [];
  for (const m of text.matchAll(ID_RE)) {
    const n = m[0].toUpperCase();
    if (idCheckCharacter(n.slice(0, 17)) === n[17]) leaks.push({ kind: 'id_number', where, sample: mask(n) });
  }
  for (const m of text.matchAll(MOBILE_RE)) leaks.push({ kind: 'mobile', where, sample: mask(m[0]) });
  return leaks;
}

/** The collections of a data folder (snapshot + journal replayed), read without opening a store. */
export function readCollections(dataDir: string): Record<string, any[]> {
  const colls = new Map<string, Map<string, any>>();
  const coll = (c: string) => colls.get(c) ?? colls.set(c, new Map()).get(c)!;
  const snap = join(dataDir, 'db', 'snapshot.json');
  if (existsSync(snap)) {
    const text = readFileSync(snap, 'utf8');
    const parsed = decodeLine(text.endsWith('\n') ? text.slice(0, -1) : text);
    for (const [c, docs] of Object.entries((parsed?.collections ?? {}) as Record<string, any[]>)) for (const d of docs) coll(c).set(d._id, d);
  }
  const journal = join(dataDir, 'db', 'journal.log');
  const apply = (r: any) => {
    if (r.op === 'put') coll(r.c).set(r.d._id, r.d);
    else if (r.op === 'del') coll(r.c).delete(r.id);
    else if (r.op === 'coll') coll(r.c);
    else if (r.op === 'batch') r.ops.forEach(apply);
  };
  if (existsSync(journal)) for (const line of readFileSync(journal, 'utf8').split('\n')) if (line) apply(decodeLine(line) ?? {});
  const out: Record<string, any[]> = {};
  for (const [c, m] of colls) out[c] = [...m.values()];
  return out;
}

/** Birth-date forms of an ID number an attacker could match in plain text about the person. */
function birthForms(idNumber: string, today: string): string[] {
  const y = idNumber.slice(6, 10);
  const m = idNumber.slice(10, 12);
  const d = idNumber.slice(12, 14);
  const age = Number(today.slice(0, 4)) - Number(y) - (today.slice(5) < `${m}-${d}` ? 1 : 0);
  return [`${y}-${m}-${d}`, `${y}${m}${d}`, `${y}年${Number(m)}月${Number(d)}日`, `${y}年${m}月${d}日`, `${y}-${m}`, `${y}年${Number(m)}月`, `${age}周岁`, `${age}岁`];
}

/** Known ID numbers whose stored person leaks more than the 3 + 4 mask allows. */
export function rebuildable(dataDir: string, knownIds: string[], today: string, dump = readCollections(dataDir)): Leak[] {
  const keysFile = join(dataDir, 'keys.json');
  if (!existsSync(keysFile) || knownIds.length === 0) return [];
  const { idHmacKey } = JSON.parse(readFileSync(keysFile, 'utf8'));
  const hash = (n: string) => createHmac('sha256', Buffer.from(idHmacKey, 'hex')).update(n.trim().toUpperCase()).digest('hex');
  const rows = Object.values(dump).flat().map((r) => JSON.stringify(r));
  const leaks: Leak[] = [];
  for (const idNumber of knownIds) {
    const person = (dump.persons ?? []).find((p) => p.idHash === hash(idNumber));
    if (!person) continue;
    const where = `${dataDir} persons/${person._id}`;
    if (typeof person.idMasked === 'string' && person.idMasked.replace(/\*/g, '').length > 7) leaks.push({ kind: 'rebuildable_id', where, sample: 'mask shows more than 3 + 4' });
    const about = rows.filter((s) => s.includes(person._id) || s.includes(person.idHash)).join('\n').replace(/\d{4}-\d{2}-\d{2}T[0-9:.]+Z?/g, '');
    const found = birthForms(idNumber, today).find((f) => about.includes(f));
    if (found) leaks.push({ kind: 'rebuildable_id', where, sample: `birth date form beside the person (${found.length} chars)` });
  }
  return leaks;
}

/** Everything registered: plain numbers in the store files and logs, rebuildable numbers. */
export function scanAll(entries: Array<{ dataDir: string; logs: string[]; knownIds?: string[]; today?: string }>): { leaks: Leak[]; files: number; lines: number; documents: number } {
  const leaks: Leak[] = [];
  let files = 0;
  let lines = 0;
  let documents = 0;
  for (const e of entries) {
    const db = join(e.dataDir, 'db');
    if (existsSync(db)) {
      for (const f of readdirSync(db)) {
        const text = readFileSync(join(db, f), 'utf8');
        files++;
        leaks.push(...plainNumbers(text, `${e.dataDir}/db/${f}`));
      }
      const dump = readCollections(e.dataDir);
      documents += Object.values(dump).reduce((n, rows) => n + rows.length, 0);
      leaks.push(...rebuildable(e.dataDir, e.knownIds ?? [], e.today ?? '2023-10-08', dump));
    }
    for (const log of e.logs) {
      if (!existsSync(log)) continue;
      const text = readFileSync(log, 'utf8');
      files++;
      lines += text.split('\n').length;
      leaks.push(...plainNumbers(text, log));
    }
  }
  return { leaks, files, lines, documents };
}

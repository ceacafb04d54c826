/**
 * The store's and journal's edges that mutation testing found unguarded (issue 16; the equivalent
 * ones are listed in test/mutation/EQUIVALENT.md): snapshot reads, value types across a restart,
 * torn and unterminated lines, blank lines, short writes, file handles, directory fsync,
 * transaction snapshots with several transactions open, locks released, expired transactions.
 */
import fs, { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { createHash } from 'crypto';
import { tmpdir } from 'os';
import { join } from 'path';
import { resolveServerDates } from '../../cloudfunctions/local-cloud/database/actions';
import { decodeLine, encodeLine, Journal } from '../../cloudfunctions/local-cloud/database/journal';
import { Store, type IndexSpec } from '../../cloudfunctions/local-cloud/database/store';

const INDEXES: Record<string, IndexSpec[]> = { accounts: [{ name: 'code_unique', keys: { code: 1 }, unique: true }, { name: 'group_n', keys: { group: 1, n: 1 } }] };
let dir: string;
const open: Store[] = [];
function openStore(timeoutMs?: number): Store {
  const s = new Store(new Journal(dir), INDEXES, timeoutMs);
  open.push(s);
  return s;
}
function closeAll(): void {
  for (const s of open.splice(0)) s.close();
}
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-edges-'));
});
afterEach(() => {
  closeAll();
  jest.restoreAllMocks();
});
const put = (s: Store, id: string, doc: Record<string, unknown>) => s.write([{ c: 'accounts', id, doc: { _id: id, ...doc } }]);
const journalPath = () => join(dir, 'journal.log');

describe('snapshot and journal across restarts', () => {
  test('data compacted into the snapshot at one restart is still there at the next; the journal is emptied', () => {
    const a = openStore();
    a.createCollection('accounts');
    put(a, 'x', { code: 'X' });
    closeAll();
    openStore(); // compacts: x moves into snapshot.json
    closeAll();
    expect(readFileSync(journalPath(), 'utf8')).toBe('');
    expect(readFileSync(join(dir, 'snapshot.json'), 'utf8')).toContain('"X"');
    const c = openStore();
    expect(c.getById('accounts', 'x')).toEqual({ _id: 'x', code: 'X' });
  });

  test('numbers, dates and nested values come back as the same JavaScript values', () => {
    const a = openStore();
    a.createCollection('accounts');
    const doc = { code: 'T', fen: 38000, ratio: 0.5, at: new Date('2023-10-08T02:00:00Z'), items: [{ n: 1 }], flag: true, none: null };
    put(a, 't', doc);
    closeAll();
    const b = openStore();
    const back = b.getById('accounts', 't')!;
    expect(back).toEqual({ _id: 't', ...doc });
    // Plain numbers, not BSON Int32/Double wrappers; a Date, not its EJSON form (structuredClone's
    // Date comes from another realm than jest's, so its tag is checked, not its constructor).
    expect(typeof back.fen).toBe('number');
    expect(typeof back.ratio).toBe('number');
    expect(Object.prototype.toString.call(back.at)).toBe('[object Date]');
    expect(back.at.getTime()).toBe(doc.at.getTime());
  });

  test('a corrupt snapshot stops the local cloud instead of starting empty; one without its newline loads', () => {
    writeFileSync(join(dir, 'snapshot.json'), encodeLine({ collections: { accounts: [{ _id: 'k', code: 'K' }] } }).trimEnd());
    expect(new Journal(dir).load().snapshot.collections.accounts).toEqual([{ _id: 'k', code: 'K' }]);
    writeFileSync(join(dir, 'snapshot.json'), 'garbage\n');
    expect(() => new Journal(dir).load()).toThrow(/snapshot .*snapshot\.json is corrupt/);
  });

  test('a torn tail of one byte is cut off, the records before it stay', () => {
    const j = new Journal(dir);
    j.append({ op: 'coll', c: 'accounts' });
    j.close();
    const good = readFileSync(journalPath(), 'utf8');
    appendFileSync(journalPath(), '9');
    const j2 = new Journal(dir);
    expect(j2.load().records).toEqual([{ op: 'coll', c: 'accounts' }]);
    expect(readFileSync(journalPath(), 'utf8')).toBe(good);
  });

  test('a complete last line without its newline (a write cut before the newline) is not replayed', () => {
    const j = new Journal(dir);
    j.append({ op: 'coll', c: 'accounts' });
    j.close();
    appendFileSync(journalPath(), encodeLine({ op: 'put', c: 'accounts', d: { _id: 'half' } }).trimEnd());
    const j2 = new Journal(dir);
    expect(j2.load().records).toEqual([{ op: 'coll', c: 'accounts' }]);
    expect(j2.skipped).toBe(1);
  });

  test('a blank line between records is passed over, not taken for corruption', () => {
    writeFileSync(journalPath(), encodeLine({ op: 'coll', c: 'a' }) + '\n' + encodeLine({ op: 'coll', c: 'b' }));
    const j = new Journal(dir);
    expect(j.load().records).toEqual([{ op: 'coll', c: 'a' }, { op: 'coll', c: 'b' }]);
    expect(j.skipped).toBe(0);
  });

  test('a line with a good checksum over text that is not EJSON is refused, not thrown', () => {
    const text = '{not json';
    const sum = createHash('sha256').update(text).digest('hex').slice(0, 16);
    expect(decodeLine(`${sum} ${text}`)).toBeUndefined();
  });
});

describe('the file layer', () => {
  test('a short write (the OS writes part of the line) is continued until the whole line is written', () => {
    const real = fs.writeSync;
    jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, buf: Buffer, off: number, len: number) =>
      (real as (...a: unknown[]) => number)(fd, buf, off, Math.min(len, 7))) as typeof fs.writeSync);
    const j = new Journal(dir);
    j.append({ op: 'put', c: 'accounts', d: { _id: 'short', code: 'a fairly long value to need several writes' } });
    j.close();
    jest.restoreAllMocks();
    expect(new Journal(dir).load().records).toEqual([{ op: 'put', c: 'accounts', d: { _id: 'short', code: 'a fairly long value to need several writes' } }]);
  });

  test('one file handle for the journal, closed on close()', () => {
    const opened: number[] = [];
    const closed: number[] = [];
    const realOpen = fs.openSync;
    const realClose = fs.closeSync;
    jest.spyOn(fs, 'openSync').mockImplementation(((...args: unknown[]) => {
      const fd = (realOpen as (...a: unknown[]) => number)(...args);
      if (args[0] === journalPath() && args[1] === 'a') opened.push(fd);
      return fd;
    }) as typeof fs.openSync);
    jest.spyOn(fs, 'closeSync').mockImplementation((fd: number) => {
      closed.push(fd);
      realClose(fd);
    });
    const j = new Journal(dir);
    for (let i = 0; i < 5; i++) j.append({ op: 'coll', c: `c${i}` });
    expect(opened).toHaveLength(1);
    j.close();
    expect(closed).toContain(opened[0]);
  });

  test('compaction fsyncs the snapshot file and then its directory, so the rename is durable', () => {
    const events: string[] = [];
    const fds = new Map<number, string>();
    const realOpen = fs.openSync;
    const realFsync = fs.fsyncSync;
    jest.spyOn(fs, 'openSync').mockImplementation(((...args: unknown[]) => {
      const fd = (realOpen as (...a: unknown[]) => number)(...args);
      fds.set(fd, String(args[0]));
      return fd;
    }) as typeof fs.openSync);
    jest.spyOn(fs, 'fsyncSync').mockImplementation((fd: number) => {
      events.push(`fsync ${fds.get(fd) === dir ? 'dir' : fds.get(fd)?.endsWith('.tmp') ? 'snapshot' : 'other'}`);
      realFsync(fd);
    });
    new Journal(dir).compact({ collections: { a: [] } });
    expect(events.slice(0, 2)).toEqual(['fsync snapshot', 'fsync dir']);
    expect(existsSync(join(dir, 'snapshot.json.tmp'))).toBe(false);
  });
});

describe('transactions with several open', () => {
  test('a transaction reads the value as of its own start, between two later outside writes', () => {
    const s = openStore();
    s.createCollection('accounts');
    put(s, 'k', { code: 'K', v: 0 });
    const t1 = s.startTransaction(); // keeps history recording
    put(s, 'k', { code: 'K', v: 1 });
    const t2 = s.startTransaction();
    put(s, 'k', { code: 'K', v: 2 });
    expect(s.txGet(t2, 'accounts', 'k')!.v).toBe(1);
    expect(s.txGet(t1, 'accounts', 'k')!.v).toBe(0);
  });

  test('ending the newest transactions keeps the history the oldest still reads', () => {
    const s = openStore();
    s.createCollection('accounts');
    put(s, 'k', { code: 'K', v: 0 });
    const t1 = s.startTransaction();
    put(s, 'k', { code: 'K', v: 1 });
    const t2 = s.startTransaction();
    const t3 = s.startTransaction();
    s.abortTransaction(t3);
    expect(s.txGet(t1, 'accounts', 'k')!.v).toBe(0);
    expect(s.txGet(t2, 'accounts', 'k')!.v).toBe(1);
  });

  test('a transaction may write its own document twice; a later transaction may write it after a commit or an abort', () => {
    const s = openStore();
    s.createCollection('accounts');
    put(s, 'k', { code: 'K', n: 0 });
    const t1 = s.startTransaction();
    s.txWrite(t1, 'accounts', 'k', { _id: 'k', code: 'K', n: 1 });
    s.txWrite(t1, 'accounts', 'k', { _id: 'k', code: 'K', n: 2 });
    s.commitTransaction(t1);
    expect(s.getById('accounts', 'k')!.n).toBe(2);
    const t2 = s.startTransaction();
    s.txWrite(t2, 'accounts', 'k', { _id: 'k', code: 'K', n: 3 });
    s.abortTransaction(t2);
    const t3 = s.startTransaction();
    expect(() => s.txWrite(t3, 'accounts', 'k', { _id: 'k', code: 'K', n: 4 })).not.toThrow();
    s.commitTransaction(t3);
    expect(s.getById('accounts', 'k')!.n).toBe(4);
  });

  test('two documents of one transaction with the same unique key are refused', () => {
    const s = openStore();
    s.createCollection('accounts');
    const t = s.startTransaction();
    s.txWrite(t, 'accounts', 'a', { _id: 'a', code: 'SAME' });
    expect(() => s.txWrite(t, 'accounts', 'b', { _id: 'b', code: 'SAME' })).toThrow(/E11000/);
  });

  test('a transaction left unused past its timeout is ended by the sweep; a recent one stays', () => {
    const s = openStore(1_000);
    s.createCollection('accounts');
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    const old = s.startTransaction();
    clock.mockReturnValue(now + 500);
    const edge = s.startTransaction();
    clock.mockReturnValue(now + 900);
    const recent = s.startTransaction();
    clock.mockReturnValue(now + 1_500);
    (s as unknown as { sweepTransactions(): void }).sweepTransactions();
    expect(s.isTransactionActive(old)).toBe(false);
    // Unused for exactly the timeout: not yet past it.
    expect(s.isTransactionActive(edge)).toBe(true);
    expect(s.isTransactionActive(recent)).toBe(true);
  });
});

describe('values the SDK sends', () => {
  test('null and marker-like objects pass through; only a lone $tcb_server_date is a server date', () => {
    const now = new Date('2023-10-08T02:00:00Z');
    expect(resolveServerDates({ a: null, b: [null, 1, 'x'] }, now)).toEqual({ a: null, b: [null, 1, 'x'] });
    expect(resolveServerDates({ $tcb_server_date: null }, now)).toEqual(now);
    expect(resolveServerDates({ $tcb_server_date: { offset: 5 }, note: 'x' }, now)).toEqual({ $tcb_server_date: { offset: 5 }, note: 'x' });
  });

  test('a BSON regular expression without options has no flags', () => {
    const r = resolveServerDates({ _bsontype: 'BSONRegExp', pattern: '^a' }, new Date());
    expect(r).toEqual(/^a/);
    expect(r.flags).toBe('');
  });
});

describe('reads on a field that leads an index answered from it (issue 15: list import and screening scanned the city at every step)', () => {
  const ids = (docs: Array<{ _id: string }>) => docs.map((d) => d._id).sort();

  test('an equality, a $in and anything else give what a scan gives, after inserts, updates, deletes and a restart', () => {
    let s = openStore();
    s.createCollection('accounts');
    for (let i = 0; i < 50; i++) put(s, `a${i}`, { code: `C${i}`, n: i, group: i % 3 });
    put(s, 'a7', { code: 'C7-renamed', n: 7, group: 1 }); // the old key leaves the index
    s.write([{ c: 'accounts', id: 'a8', doc: undefined }]);
    put(s, 'num', { code: 42, n: 99 });
    const scan = (filter: Record<string, any>) => ids(s.all('accounts').filter((d) => {
      const f = filter.code;
      const codeOk = f === undefined ? true : typeof f === 'object' && f.$in ? f.$in.includes(d.code) : typeof f === 'object' && f.$ne !== undefined ? d.code !== f.$ne : d.code === f;
      const g = filter.group;
      const groupOk = g === undefined || (typeof g === 'object' && g.$in ? g.$in.includes(d.group) : d.group === g);
      return codeOk && groupOk && (filter.n === undefined || d.n === filter.n);
    }));
    const check = () => {
      for (const filter of [
        { code: 'C3' },
        { code: 'C7' }, // renamed away
        { code: 'C7-renamed' },
        { code: 'C8' }, // deleted
        { code: 42 },
        { code: 'nobody' },
        { code: { $in: ['C1', 'C2', 'C2', 'C8', 'C7-renamed', 'nobody'] } },
        { code: { $in: [] } },
        { code: 'C4', group: 2 }, // the rest of the filter still applies: C4 is in group 1
        { code: 'C4', group: 1 },
        { code: { $ne: 'C1' } }, // not an equality: a scan
        { group: 2 }, // leads a non-unique index: many documents per value
        { group: { $in: [0, 2] } },
        { group: 2, code: 'C5' },
        { group: '2' }, // a string is not the number
        { n: 3 }, // second field of an index: a scan
      ]) expect([filter, ids(s.find('accounts', filter))]).toEqual([filter, scan(filter)]);
    };
    check();
    closeAll();
    s = openStore();
    check();
    expect(s.find('accounts', { code: { $in: ['C1', 'C2'] } }, { limit: 1 })).toHaveLength(1);
  });
});

describe('pages in _id order walk the sorted ids (issue 15: the screening sorted the whole register for every page)', () => {
  test('every page equals the same query answered by a scan and a sort, through inserts, deletes and updates', () => {
    const s = openStore();
    s.createCollection('accounts');
    const ids = Array.from({ length: 120 }, (_, i) => `k${String((i * 37) % 120).padStart(3, '0')}`);
    ids.forEach((id, i) => put(s, id, { code: `C${id}`, n: i, group: i % 4 }));
    // {_id: 1, n: 1} sorts the same (ids are unique) but takes the scan-and-sort path.
    const both = (filter: Record<string, any>, limit: number, projection?: Record<string, any>) => {
      const walked = s.find('accounts', filter, { sort: { _id: 1 }, limit, projection });
      const scanned = s.find('accounts', filter, { sort: { _id: 1, n: 1 }, limit, projection });
      expect([filter, limit, walked]).toEqual([filter, limit, scanned]);
      return walked;
    };
    const pageThrough = (extra: Record<string, any>) => {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page = both(after ? { ...extra, _id: { $gt: after } } : extra, 25);
        if (!page.length) break;
        seen.push(...page.map((d) => d._id));
        after = page[page.length - 1]._id;
      }
      return seen;
    };
    expect(pageThrough({})).toEqual([...ids].sort());
    expect(pageThrough({ group: 1 })).toHaveLength(30);
    both({ _id: { $gte: 'k050' } }, 10);
    both({ _id: { $gt: 'k050' } }, 10);
    both({ _id: { $gt: 'k0505' } }, 10); // between two ids
    both({ _id: { $gt: 'zzz' } }, 10);
    both({ _id: { $gt: 'k010', $lt: 'k020' } }, 100); // an upper bound: still the full filter
    both({ group: 3 }, 7, { code: 1 });
    // The order is kept through inserts and deletes (the sorted ids are rebuilt), not broken by updates.
    put(s, 'k0505', { code: 'new', n: -1, group: 1 });
    s.write([{ c: 'accounts', id: 'k051', doc: undefined }]);
    put(s, 'k052', { code: 'changed', n: 52, group: 0 });
    expect(both({ _id: { $gt: 'k050' } }, 3).map((d) => d._id)).toEqual(['k0505', 'k052', 'k053']);
    expect(pageThrough({})).toHaveLength(120);
    both({}, 0 as unknown as number); // no limit: not a page, the general path
  });
});

/**
 * The local cloud's store, journal and transactions in-process (issue 16: a transaction that lost
 * a concurrent outside write at commit, a journal replay that ignored deletes, a missing fsync and
 * case-insensitive regex options all went unseen). The file layer is observed through jest spies
 * on `fs` (fsync seen, a crash between write and fsync simulated), not only kill -9.
 */
import fs, { mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EJSON } from 'bson';
import { DatabaseActions, resolveServerDates } from '../../cloudfunctions/local-cloud/database/actions';
import { decodeLine, encodeLine, Journal } from '../../cloudfunctions/local-cloud/database/journal';
import { Store, type IndexSpec } from '../../cloudfunctions/local-cloud/database/store';

const INDEXES: Record<string, IndexSpec[]> = {
  accounts: [{ name: 'code_unique', keys: { code: 1 }, unique: true }],
  sparse: [{ name: 'tag_unique', keys: { tag: 1 }, unique: true, sparse: true }],
};

let dir: string;
const open: Store[] = [];
function openStore(): Store {
  const s = new Store(new Journal(dir), INDEXES);
  open.push(s);
  return s;
}
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-test-'));
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  jest.restoreAllMocks();
});

function seed(store: Store): void {
  store.createCollection('accounts');
  store.createCollection('sparse');
}

describe('journal replay', () => {
  test('a deleted document stays deleted after a restart (replay applies deletes)', () => {
    const a = openStore();
    seed(a);
    a.write([{ c: 'accounts', id: 'p1', doc: { _id: 'p1', code: 'A' } }, { c: 'accounts', id: 'p2', doc: { _id: 'p2', code: 'B' } }]);
    a.write([{ c: 'accounts', id: 'p1', doc: undefined }]);
    a.close();
    open.length = 0;
    // Reopen without compaction in between: the delete must come from the journal itself.
    const records = new Journal(dir).load().records;
    expect(records.some((r: any) => r.op === 'del' && r.id === 'p1')).toBe(true);
    const b = openStore();
    expect(b.getById('accounts', 'p1')).toBeUndefined();
    expect(b.getById('accounts', 'p2')).toEqual({ _id: 'p2', code: 'B' });
    // The freed unique key is free again after the restart.
    expect(() => b.write([{ c: 'accounts', id: 'p3', doc: { _id: 'p3', code: 'A' } }])).not.toThrow();
  });

  test('a delete inside a batch (a transaction) is replayed too', () => {
    const a = openStore();
    seed(a);
    a.write([{ c: 'accounts', id: 'x', doc: { _id: 'x', code: 'X' } }]);
    const tx = a.startTransaction();
    a.txWrite(tx, 'accounts', 'x', undefined);
    a.txWrite(tx, 'accounts', 'y', { _id: 'y', code: 'X' });
    a.commitTransaction(tx);
    a.close();
    open.length = 0;
    const b = openStore();
    expect(b.getById('accounts', 'x')).toBeUndefined();
    expect(b.getById('accounts', 'y')).toEqual({ _id: 'y', code: 'X' });
  });

  test('a torn last line is skipped and cut off; a corrupt middle line stops the replay there', () => {
    const a = openStore();
    seed(a);
    a.write([{ c: 'accounts', id: 'k', doc: { _id: 'k', code: 'K' } }]);
    a.close();
    open.length = 0;
    const journal = join(dir, 'journal.log');
    const good = readFileSync(journal, 'utf8');
    appendFileSync(journal, encodeLine({ op: 'put', c: 'accounts', d: { _id: 'torn', code: 'T' } }).slice(0, 30));
    const j = new Journal(dir);
    const { records } = j.load();
    expect(j.skipped).toBe(1);
    expect(records.map((r: any) => r.d?._id ?? r.c)).not.toContain('torn');
    expect(readFileSync(journal, 'utf8')).toBe(good);

    const bad = `${'0'.repeat(16)} ${EJSON.stringify({ op: 'put', c: 'accounts', d: { _id: 'bad' } })}\n`;
    writeFileSync(journal, bad + encodeLine({ op: 'put', c: 'accounts', d: { _id: 'after', code: 'Z' } }));
    const j2 = new Journal(dir);
    expect(j2.load().records).toEqual([]);
    expect(j2.skipped).toBe(1);
  });

  test('a line decodes only with its own checksum', () => {
    const line = encodeLine({ op: 'del', c: 'a', id: '1' }).trimEnd();
    expect(decodeLine(line)).toEqual({ op: 'del', c: 'a', id: '1' });
    expect(decodeLine(`x${line.slice(1)}`)).toBeUndefined();
    expect(decodeLine(` ${line}`)).toBeUndefined();
    expect(decodeLine(line.replace('"1"', '"2"'))).toBeUndefined();
  });
});

describe('durability: fsync before a write is acknowledged', () => {
  test('the journal line is written and fsync-ed before write() returns', () => {
    const a = openStore();
    seed(a);
    const calls: string[] = [];
    const realWrite = fs.writeSync;
    const realFsync = fs.fsyncSync;
    jest.spyOn(fs, 'writeSync').mockImplementation(((...args: Parameters<typeof fs.writeSync>) => {
      calls.push('write');
      return (realWrite as (...a: unknown[]) => number)(...args);
    }) as typeof fs.writeSync);
    jest.spyOn(fs, 'fsyncSync').mockImplementation((fd: number) => {
      calls.push('fsync');
      realFsync(fd);
    });
    a.write([{ c: 'accounts', id: 'd', doc: { _id: 'd', code: 'D' } }]);
    expect(calls).toEqual(['write', 'fsync']);
  });

  test('a crash between write and fsync: the write is refused and not visible, and a restart does not invent it', () => {
    const a = openStore();
    seed(a);
    jest.spyOn(fs, 'fsyncSync').mockImplementation(() => {
      throw Object.assign(new Error('EIO: simulated crash before fsync'), { code: 'EIO' });
    });
    expect(() => a.write([{ c: 'accounts', id: 'lost', doc: { _id: 'lost', code: 'L' } }])).toThrow(/EIO/);
    expect(a.getById('accounts', 'lost')).toBeUndefined();
    // The unique key was not taken by the refused write.
    jest.restoreAllMocks();
    expect(() => a.write([{ c: 'accounts', id: 'other', doc: { _id: 'other', code: 'L' } }])).not.toThrow();
  });
});

describe('transactions', () => {
  test('a concurrent outside write to a document the transaction wrote makes the commit fail and survives', () => {
    const s = openStore();
    seed(s);
    s.write([{ c: 'accounts', id: 'acc', doc: { _id: 'acc', code: 'C', balance: 100 } }]);
    const tx = s.startTransaction();
    const read = s.txGet(tx, 'accounts', 'acc')!;
    s.txWrite(tx, 'accounts', 'acc', { ...read, balance: read.balance - 30 });
    // Outside the transaction: another function's write lands after the transaction's own write.
    s.write([{ c: 'accounts', id: 'acc', doc: { _id: 'acc', code: 'C', balance: 500 } }]);
    expect(() => s.commitTransaction(tx)).toThrow(expect.objectContaining({ code: 'DATABASE_TRANSACTION_CONFLICT' }));
    expect(s.getById('accounts', 'acc')!.balance).toBe(500);
    expect(s.isTransactionActive(tx)).toBe(false);
  });

  test('writing a document changed outside since the transaction began fails at once', () => {
    const s = openStore();
    seed(s);
    s.write([{ c: 'accounts', id: 'acc', doc: { _id: 'acc', code: 'C', balance: 1 } }]);
    const tx = s.startTransaction();
    s.write([{ c: 'accounts', id: 'acc', doc: { _id: 'acc', code: 'C', balance: 2 } }]);
    // The transaction still reads its snapshot...
    expect(s.txGet(tx, 'accounts', 'acc')!.balance).toBe(1);
    // ...and may not overwrite the newer value.
    expect(() => s.txWrite(tx, 'accounts', 'acc', { _id: 'acc', code: 'C', balance: 3 })).toThrow(expect.objectContaining({ code: 'DATABASE_TRANSACTION_CONFLICT' }));
  });

  test('two transactions on one document: the second writer conflicts, the first commits', () => {
    const s = openStore();
    seed(s);
    s.write([{ c: 'accounts', id: 'acc', doc: { _id: 'acc', code: 'C', n: 0 } }]);
    const t1 = s.startTransaction();
    const t2 = s.startTransaction();
    s.txWrite(t1, 'accounts', 'acc', { _id: 'acc', code: 'C', n: 1 });
    expect(() => s.txWrite(t2, 'accounts', 'acc', { _id: 'acc', code: 'C', n: 2 })).toThrow(expect.objectContaining({ code: 'DATABASE_TRANSACTION_CONFLICT' }));
    s.commitTransaction(t1);
    expect(s.getById('accounts', 'acc')!.n).toBe(1);
    // t2 began before t1's commit: its snapshot is the old value, and it may not write over t1.
    expect(s.txGet(t2, 'accounts', 'acc')!.n).toBe(0);
    expect(() => s.txWrite(t2, 'accounts', 'acc', { _id: 'acc', code: 'C', n: 2 })).toThrow(expect.objectContaining({ code: 'DATABASE_TRANSACTION_CONFLICT' }));
    s.abortTransaction(t2);
    expect(s.isTransactionActive(t2)).toBe(false);
  });

  test('a transaction sees its own writes and deletes; an aborted one leaves nothing', () => {
    const s = openStore();
    seed(s);
    s.write([{ c: 'accounts', id: 'a', doc: { _id: 'a', code: 'A' } }]);
    const tx = s.startTransaction();
    s.txWrite(tx, 'accounts', 'b', { _id: 'b', code: 'B' });
    s.txWrite(tx, 'accounts', 'a', undefined);
    expect(s.txGet(tx, 'accounts', 'b')).toEqual({ _id: 'b', code: 'B' });
    expect(s.txGet(tx, 'accounts', 'a')).toBeUndefined();
    expect(s.getById('accounts', 'b')).toBeUndefined();
    s.abortTransaction(tx);
    expect(s.getById('accounts', 'a')).toEqual({ _id: 'a', code: 'A' });
    expect(s.getById('accounts', 'b')).toBeUndefined();
    expect(() => s.commitTransaction(tx)).toThrow(/TransactionNotExist/);
  });
});

describe('unique indexes', () => {
  test('a second document with a taken key is refused; moving the key within one batch is allowed', () => {
    const s = openStore();
    seed(s);
    s.write([{ c: 'accounts', id: '1', doc: { _id: '1', code: 'A' } }]);
    expect(() => s.write([{ c: 'accounts', id: '2', doc: { _id: '2', code: 'A' } }])).toThrow(/E11000 duplicate key .*accounts.*code_unique.*code: "A"/);
    expect(() => s.write([{ c: 'accounts', id: '3', doc: { _id: '3', code: 'N' } }, { c: 'accounts', id: '4', doc: { _id: '4', code: 'N' } }])).toThrow(/E11000/);
    expect(s.getById('accounts', '3')).toBeUndefined();
    s.write([{ c: 'accounts', id: '1', doc: { _id: '1', code: 'B' } }, { c: 'accounts', id: '2', doc: { _id: '2', code: 'A' } }]);
    expect(s.find('accounts', {}, { sort: { _id: 1 } })).toEqual([{ _id: '1', code: 'B' }, { _id: '2', code: 'A' }]);
    // A missing key counts as null: two documents without one collide (MongoDB's rule).
    s.write([{ c: 'accounts', id: 'n1', doc: { _id: 'n1' } }]);
    expect(() => s.write([{ c: 'accounts', id: 'n2', doc: { _id: 'n2' } }])).toThrow(/E11000/);
    // A sparse index leaves them out.
    s.write([{ c: 'sparse', id: 's1', doc: { _id: 's1' } }, { c: 'sparse', id: 's2', doc: { _id: 's2' } }]);
    expect(s.count('sparse', {})).toBe(2);
  });

  test('a unique key is checked inside a transaction too', () => {
    const s = openStore();
    seed(s);
    s.write([{ c: 'accounts', id: '1', doc: { _id: '1', code: 'A' } }]);
    const tx = s.startTransaction();
    expect(() => s.txWrite(tx, 'accounts', '2', { _id: '2', code: 'A' })).toThrow(/E11000/);
  });
});

describe('queries through the database actions', () => {
  const clock = { now: () => new Date('2023-10-08T02:00:00Z') } as any;
  function actions(): DatabaseActions {
    const s = openStore();
    seed(s);
    const a = new DatabaseActions(s, clock);
    a.run('database.insertDocument', {
      collectionName: 'accounts',
      data: [EJSON.stringify({ _id: 'w', code: 'Wang Fang' }), EJSON.stringify({ _id: 'l', code: 'li lei' }), EJSON.stringify({ _id: 'z', code: 'ZHANG' })],
    });
    return a;
  }
  const ids = (reply: any) => reply.data.list.map((d: string) => EJSON.parse(d)._id).sort();

  test('db.RegExp options: i matches case-insensitively; without it case counts', () => {
    const a = actions();
    const q = (options: string) => EJSON.stringify({ code: { $regularExpression: { pattern: '^(wang|zhang)', options } } }, { relaxed: false });
    expect(ids(a.run('database.getDocument', { collectionName: 'accounts', query: q('i') }))).toEqual(['w', 'z']);
    expect(ids(a.run('database.getDocument', { collectionName: 'accounts', query: q('') }))).toEqual([]);
  });

  test('a BSON regular expression keeps only the flags JavaScript knows', () => {
    const r = resolveServerDates({ _bsontype: 'BSONRegExp', pattern: 'a.b', options: 'isxlu' }, new Date());
    expect(r).toBeInstanceOf(RegExp);
    expect(r.flags).toBe('isu');
    expect(r.test('A\nB')).toBe(true);
  });

  test('server dates resolve to the local cloud clock plus their offset', () => {
    expect(resolveServerDates({ at: { $tcb_server_date: { offset: 1000 } }, list: [{ $tcb_server_date: {} }] }, clock.now())).toEqual({
      at: new Date('2023-10-08T02:00:01Z'),
      list: [new Date('2023-10-08T02:00:00Z')],
    });
  });

  test('a removal by query is journaled and gone after a restart', () => {
    const a = actions();
    expect(a.run('database.removeDocument', { collectionName: 'accounts', query: EJSON.stringify({ code: 'li lei' }) })).toEqual({ data: { deleted: 1 } });
    for (const s of open.splice(0)) s.close();
    const s = openStore();
    expect(s.getById('accounts', 'l')).toBeUndefined();
    expect(s.count('accounts', {})).toBe(2);
  });
});

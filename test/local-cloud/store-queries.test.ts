/**
 * The store's reads and index bookkeeping that the whole-module mutation run (issue 16) found
 * unguarded: which reads may take the `_id` and index shortcuts and which must not (a skip, a
 * descending order), duplicate ids in `$in`, compound and sparse unique keys, an index entry kept
 * when its key moves between documents in one batch, the error texts the functions match on,
 * keys of two collections kept apart, the transaction sweeper's timer and a transaction in use
 * not expiring.
 */
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Journal } from '../../cloudfunctions/local-cloud/database/journal';
import { dbErrors, Store, type IndexSpec } from '../../cloudfunctions/local-cloud/database/store';

const INDEXES: Record<string, IndexSpec[]> = {
  accounts: [
    { name: 'code_unique', keys: { code: 1 }, unique: true },
    { name: 'group_n', keys: { group: 1, n: 1 } },
  ],
  pairs: [{ name: 'a_b_unique', keys: { a: 1, b: 1 }, unique: true, sparse: true }],
  nested: [{ name: 'profile_code_unique', keys: { 'profile.code': 1 }, unique: true }],
  ab: [{ name: 'code_unique', keys: { code: 1 }, unique: true }],
  a: [{ name: 'code_unique', keys: { code: 1 }, unique: true }],
};
let dir: string;
const open: Store[] = [];
function openStore(timeoutMs?: number): Store {
  const s = new Store(new Journal(dir), INDEXES, timeoutMs);
  for (const c of Object.keys(INDEXES)) s.createCollection(c);
  open.push(s);
  return s;
}
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-queries-'));
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  jest.restoreAllMocks();
  jest.useRealTimers();
});
const put = (s: Store, c: string, id: string, doc: Record<string, unknown>) => s.write([{ c, id, doc: { _id: id, ...doc } }]);
const idsOf = (docs: Array<{ _id: string }>) => docs.map((d) => d._id);

describe('error texts the functions match on (cloudfunctions/src/platform/database.ts)', () => {
  test('duplicate key, conflict, missing collection and missing transaction', () => {
    expect([dbErrors.conflict().code, dbErrors.conflict().message]).toEqual([
      'DATABASE_TRANSACTION_CONFLICT',
      '[ResourceUnavailable.TransactionConflict] Transaction is conflicting with another operation (WriteConflict). Please retry.',
    ]);
    expect([dbErrors.collectionNotExist().code, dbErrors.collectionNotExist().message]).toEqual([
      'DATABASE_COLLECTION_NOT_EXIST',
      '[ResourceNotFound] Db or Table not exist. Please check your request, but if the problem cannot be solved, contact us.',
    ]);
    expect([dbErrors.transactionNotExist().code, dbErrors.transactionNotExist().message]).toEqual([
      'DATABASE_REQUEST_FAILED',
      '[ResourceNotFound.TransactionNotExist] Transaction does not exist or has expired.',
    ]);
    expect([dbErrors.invalid('why').code, dbErrors.invalid('why').message]).toEqual(['INVALID_PARAM', 'why']);
    const s = openStore();
    put(s, 'accounts', '1', { code: 'A', group: 1 });
    expect(() => put(s, 'accounts', '2', { code: 'A' })).toThrow(
      expect.objectContaining({ code: 'DATABASE_REQUEST_FAILED', message: '[FailedOperation] E11000 duplicate key error collection: local.accounts index: code_unique dup key: { code: "A" }' }),
    );
    put(s, 'pairs', 'p1', { a: 1 });
    expect(() => put(s, 'pairs', 'p2', { a: 1 })).toThrow(/index: a_b_unique dup key: \{ a: 1, b: null \}$/);
    expect(() => s.getById('missing', 'x')).toThrow(expect.objectContaining({ code: 'DATABASE_COLLECTION_NOT_EXIST' }));
  });
});

describe('unique keys', () => {
  test('a sparse compound index indexes a document that has any of its fields (MongoDB), not only all of them', () => {
    const s = openStore();
    put(s, 'pairs', 'p1', { a: 1 });
    expect(() => put(s, 'pairs', 'p2', { a: 1 })).toThrow(/E11000/);
    put(s, 'pairs', 'p3', { b: 1 });
    expect(() => put(s, 'pairs', 'p4', { b: 1 })).toThrow(/E11000/);
    put(s, 'pairs', 'p5', { a: 1, b: 1 });
    put(s, 'pairs', 'n1', { other: 1 });
    put(s, 'pairs', 'n2', { other: 1 });
    expect(s.count('pairs', {})).toBe(5);
  });

  test('a nested key: a missing, null or non-object parent counts as null', () => {
    const s = openStore();
    put(s, 'nested', 'x', { profile: { code: 'X' } });
    expect(() => put(s, 'nested', 'y', { profile: { code: 'X' } })).toThrow(/profile\.code: "X"/);
    put(s, 'nested', 'n1', { profile: null });
    expect(() => put(s, 'nested', 'n2', { profile: 'text' })).toThrow(/profile\.code: null/);
    expect(() => put(s, 'nested', 'n3', {})).toThrow(/E11000/);
  });

  test('a non-unique index takes the same key twice', () => {
    const s = openStore();
    put(s, 'accounts', '1', { code: 'A', group: 1, n: 1 });
    put(s, 'accounts', '2', { code: 'B', group: 1, n: 1 });
    expect(s.count('accounts', { group: 1, n: 1 })).toBe(2);
  });

  test('a document keeps its own key through an update; two documents swap keys in one batch', () => {
    const s = openStore();
    put(s, 'accounts', '1', { code: 'A' });
    put(s, 'accounts', '2', { code: 'B' });
    put(s, 'accounts', '1', { code: 'A', more: true });
    s.write([{ c: 'accounts', id: '1', doc: { _id: '1', code: 'B' } }, { c: 'accounts', id: '2', doc: { _id: '2', code: 'A' } }]);
    expect(s.find('accounts', {}, { sort: { _id: 1 } })).toEqual([{ _id: '1', code: 'B' }, { _id: '2', code: 'A' }]);
    expect(() => put(s, 'accounts', '3', { code: 'A' })).toThrow(/E11000/);
    expect(() => put(s, 'accounts', '3', { code: 'B' })).toThrow(/E11000/);
  });

  test('a key taken over in one batch stays taken by its new owner, whatever the order of the changes', () => {
    const s = openStore();
    put(s, 'accounts', '1', { code: 'A' });
    // The new owner is written first, then the old owner moves away: the old owner's removal of
    // key A must not drop the new owner's entry.
    s.write([{ c: 'accounts', id: '2', doc: { _id: '2', code: 'A' } }, { c: 'accounts', id: '1', doc: { _id: '1', code: 'B' } }]);
    expect(() => put(s, 'accounts', '3', { code: 'A' })).toThrow(/E11000/);
    expect(s.find('accounts', { code: 'A' })).toEqual([{ _id: '2', code: 'A' }]);
    // Deleting a document frees its key.
    s.write([{ c: 'accounts', id: '2', doc: undefined }]);
    put(s, 'accounts', '3', { code: 'A' });
  });

  test('the same key in two collections with the same index name is no conflict, in one batch or apart', () => {
    const s = openStore();
    s.write([{ c: 'ab', id: '1', doc: { _id: '1', code: 'K' } }, { c: 'a', id: '2', doc: { _id: '2', code: 'K' } }]);
    expect(s.count('ab', { code: 'K' }) + s.count('a', { code: 'K' })).toBe(2);
    expect(() => s.write([{ c: 'a', id: '3', doc: { _id: '3', code: 'L' } }, { c: 'ab', id: '4', doc: { _id: '4', code: 'K' } }])).toThrow(/local\.ab index/);
    expect(s.getById('a', '3')).toBeUndefined();
  });
});

describe('reads by id and by an index field', () => {
  test('$in with an id twice gives the document once; missing ids are left out; the rest of the filter applies', () => {
    const s = openStore();
    for (const id of ['a', 'b', 'c']) put(s, 'accounts', id, { code: id.toUpperCase(), group: 1 });
    expect(idsOf(s.find('accounts', { _id: { $in: ['b', 'b', 'zz', 'a'] } })).sort()).toEqual(['a', 'b']);
    expect(idsOf(s.find('accounts', { _id: 'c' }))).toEqual(['c']);
    expect(idsOf(s.find('accounts', { _id: 'c', code: 'X' }))).toEqual([]);
    expect(idsOf(s.find('accounts', { _id: { $in: ['a', 'c'] }, code: 'C' }))).toEqual(['c']);
    expect(idsOf(s.find('accounts', { _id: { $in: ['a', 'b'], $ne: 'a' } }))).toEqual(['b']);
    expect(idsOf(s.find('accounts', { code: { $in: ['A', 'A'] } }))).toEqual(['a']);
    expect(idsOf(s.find('accounts', { group: 1 }, { sort: { _id: -1 }, skip: 1, limit: 1 }))).toEqual(['b']);
  });

  test('an id or index read is not a scan of the collection', () => {
    const s = openStore();
    for (let i = 0; i < 20; i++) put(s, 'accounts', `k${i}`, { code: `C${i}`, group: i % 2 });
    const all = jest.spyOn(s, 'all');
    expect(idsOf(s.find('accounts', { _id: { $in: ['k1', 'k2'] } }))).toEqual(['k1', 'k2']);
    expect(idsOf(s.find('accounts', { code: 'C3' }))).toEqual(['k3']);
    expect(idsOf(s.find('accounts', { code: { $in: ['C4', 'C5'] } }))).toEqual(['k4', 'k5']);
    expect(s.find('accounts', { group: 1 })).toHaveLength(10);
    expect(all).not.toHaveBeenCalled();
    expect(s.find('accounts', { n: 1 })).toHaveLength(0);
    expect(all).toHaveBeenCalledTimes(1);
  });
});

describe('pages in _id order', () => {
  function seeded(): Store {
    const s = openStore();
    for (const id of ['e', 'a', 'd', 'b', 'c']) put(s, 'accounts', id, { code: id.toUpperCase(), group: 1 });
    return s;
  }

  test('descending, skipped, unlimited or non-_id orders are not walked ascending from the bound', () => {
    const s = seeded();
    expect(idsOf(s.find('accounts', {}, { sort: { _id: -1 }, limit: 2 }))).toEqual(['e', 'd']);
    expect(idsOf(s.find('accounts', {}, { sort: { _id: 1 }, skip: 2, limit: 2 }))).toEqual(['c', 'd']);
    expect(idsOf(s.find('accounts', {}, { sort: { _id: 1 }, limit: 0 }))).toEqual([]);
    expect(idsOf(s.find('accounts', {}, { sort: { _id: 1 } }))).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(idsOf(s.find('accounts', {}, { sort: { code: -1 }, limit: 2 }))).toEqual(['e', 'd']);
    expect(idsOf(s.find('accounts', {}, { sort: {}, limit: 2 }))).toEqual(['e', 'a']);
    expect(idsOf(s.find('accounts', {}, { limit: 2 }))).toEqual(['e', 'a']);
    expect(idsOf(s.find('accounts', { _id: { $gt: 'b' } }, { sort: { _id: 1 }, limit: 2 }))).toEqual(['c', 'd']);
    expect(idsOf(s.find('accounts', { _id: { $gte: 'b' } }, { sort: { _id: 1 }, limit: 2 }))).toEqual(['b', 'c']);
    expect(idsOf(s.find('accounts', { _id: { $gte: 'b' } }, { sort: { _id: 1 }, limit: 9 }))).toEqual(['b', 'c', 'd', 'e']);
    expect(s.find('accounts', { group: 1 }, { sort: { _id: 1 }, limit: 1, projection: { code: 1 } })).toEqual([{ _id: 'a', code: 'A' }]);
    expect(s.find('accounts', { group: 1 }, { sort: { _id: 1 }, limit: 1, projection: {} })).toEqual([{ _id: 'a', code: 'A', group: 1 }]);
  });

  test('a walked page is a copy: changing it does not change the stored document', () => {
    const s = seeded();
    const [a] = s.find('accounts', {}, { sort: { _id: 1 }, limit: 1 });
    a.code = 'changed';
    expect(s.getById('accounts', 'a')!.code).toBe('A');
    const [b] = s.find('accounts', { _id: 'b' });
    b.code = 'changed';
    expect(s.getById('accounts', 'b')!.code).toBe('B');
  });
});

describe('writes and the journal', () => {
  test('an empty write journals nothing', () => {
    const s = openStore();
    const before = readFileSync(join(dir, 'journal.log'), 'utf8');
    s.write([]);
    expect(readFileSync(join(dir, 'journal.log'), 'utf8')).toBe(before);
  });

  test('a write into a collection that does not exist is refused before anything is journaled', () => {
    const s = openStore();
    const before = readFileSync(join(dir, 'journal.log'), 'utf8');
    expect(() => s.write([{ c: 'accounts', id: 'ok', doc: { _id: 'ok', code: 'O' } }, { c: 'missing', id: 'x', doc: { _id: 'x' } }])).toThrow(/not exist/);
    expect(readFileSync(join(dir, 'journal.log'), 'utf8')).toBe(before);
    expect(s.getById('accounts', 'ok')).toBeUndefined();
  });

  test('an update modifier applies to a copy; aggregation $lookup reads another collection, or nothing for a missing one', () => {
    const s = openStore();
    const doc = { _id: 'm', code: 'M', tags: ['x'] };
    const next = Store.applyModifier(doc, { $push: { tags: 'y' } });
    expect(next.tags).toEqual(['x', 'y']);
    expect(doc.tags).toEqual(['x']);
    put(s, 'accounts', 'm', { code: 'M' });
    put(s, 'a', 'l', { code: 'M', extra: 1 });
    expect(s.aggregate('accounts', [{ $lookup: { from: 'a', localField: 'code', foreignField: 'code', as: 'links' } }])).toEqual([{ _id: 'm', code: 'M', links: [{ _id: 'l', code: 'M', extra: 1 }] }]);
    expect(s.aggregate('accounts', [{ $lookup: { from: 'nowhere', localField: 'code', foreignField: 'code', as: 'links' } }])).toEqual([{ _id: 'm', code: 'M', links: [] }]);
  });
});

describe('transactions', () => {
  test('the writes of two collections whose names and ids run together are kept apart', () => {
    const s = openStore();
    const t = s.startTransaction();
    // "ab" + "c" and "a" + "bc": one key if the collection and the id were simply joined.
    put(s, 'a', 'bc', { code: 'outside' });
    expect(() => s.txWrite(t, 'ab', 'c', { _id: 'c', code: 'inside' })).not.toThrow();
    s.commitTransaction(t);
    expect(s.getById('ab', 'c')).toEqual({ _id: 'c', code: 'inside' });
    expect(s.getById('a', 'bc')).toEqual({ _id: 'bc', code: 'outside' });
  });

  test('a transaction in use is not swept however long ago it began; the sweeper runs by itself every 5 seconds', () => {
    jest.useFakeTimers({ now: new Date('2023-10-08T02:00:00Z') });
    const s = openStore(1_000);
    const busy = s.startTransaction();
    const idle = s.startTransaction();
    for (let i = 0; i < 12; i++) {
      jest.advanceTimersByTime(500);
      s.txGet(busy, 'accounts', 'x');
    }
    expect(s.isTransactionActive(busy)).toBe(true);
    expect(s.isTransactionActive(idle)).toBe(false);
    jest.advanceTimersByTime(6_000);
    expect(s.isTransactionActive(busy)).toBe(false);
  });

  test('closing the store stops the sweeper', () => {
    const cleared = jest.spyOn(global, 'clearInterval');
    const s = openStore();
    const timer = (s as unknown as { sweeper: NodeJS.Timeout }).sweeper;
    // It does not keep the process alive.
    expect(timer.hasRef()).toBe(false);
    s.close();
    open.length = 0;
    expect(cleared).toHaveBeenCalledWith(timer);
  });
});

describe('more edges of the whole-module run', () => {
  test('an empty collection survives a restart (its creation is journaled); collectionNames lists it', () => {
    const a = new Store(new Journal(dir), INDEXES);
    a.createCollection('empty');
    a.close();
    const b = new Store(new Journal(dir), INDEXES);
    open.push(b);
    expect(b.hasCollection('empty')).toBe(true);
    expect(b.collectionNames()).toEqual(['empty']);
  });

  test('a date and the string of that date are different unique keys (different BSON types)', () => {
    const s = openStore();
    const at = new Date('2023-10-08T02:00:00Z');
    put(s, 'accounts', 'd', { code: at });
    expect(() => put(s, 'accounts', 's', { code: at.toISOString() })).not.toThrow();
  });

  test('documents handed in or out are copies: the caller changing them changes nothing stored', () => {
    const s = openStore();
    const doc = { _id: 'c', code: 'C', list: [1] };
    s.write([{ c: 'accounts', id: 'c', doc }]);
    doc.list.push(2);
    const read = s.getById('accounts', 'c')!;
    read.list.push(3);
    const [agg] = s.aggregate('accounts', [{ $match: { _id: 'c' } }]);
    agg.list.push(4);
    expect(s.getById('accounts', 'c')).toEqual({ _id: 'c', code: 'C', list: [1] });
    const t = s.startTransaction();
    const mine = { _id: 't', code: 'T', list: [1] };
    s.txWrite(t, 'accounts', 't', mine);
    mine.list.push(2);
    s.txGet(t, 'accounts', 't')!.list.push(3);
    expect(s.txGet(t, 'accounts', 't')).toEqual({ _id: 't', code: 'T', list: [1] });
    s.commitTransaction(t);
    expect(s.getById('accounts', 't')).toEqual({ _id: 't', code: 'T', list: [1] });
  });

  test('a regular expression in $in on _id or on an index field matches as in a scan', () => {
    const s = openStore();
    for (const id of ['k1', 'k2', 'x1']) put(s, 'accounts', id, { code: `C-${id}` });
    expect(idsOf(s.find('accounts', { _id: { $in: [/^k/] } })).sort()).toEqual(['k1', 'k2']);
    expect(idsOf(s.find('accounts', { code: { $in: [/^C-x/] } }))).toEqual(['x1']);
    expect(idsOf(s.find('accounts', { code: { $in: ['C-k1', /^C-x/] } })).sort()).toEqual(['k1', 'x1']);
  });

  test('a single id and a page in _id order are not scans; a page walks from its bound', () => {
    const s = openStore();
    for (let i = 0; i < 30; i++) put(s, 'accounts', `k${String(i).padStart(2, '0')}`, { code: `C${i}`, n: i });
    const all = jest.spyOn(s, 'all');
    expect(idsOf(s.find('accounts', { _id: 'k03' }))).toEqual(['k03']);
    // The documents the filter was tried on: the page itself, not the ids before its bound.
    const { Query } = jest.requireActual('mingo');
    const realTest = Query.prototype.test;
    const tried = new Set<string>();
    jest.spyOn(Query.prototype, 'test').mockImplementation(function (this: unknown, d: any) {
      tried.add(d._id);
      return realTest.call(this, d);
    });
    expect(idsOf(s.find('accounts', { _id: { $gt: 'k20' }, n: { $gte: 0 } }, { sort: { _id: 1 }, limit: 3 }))).toEqual(['k21', 'k22', 'k23']);
    expect([...tried].sort()).toEqual(['k21', 'k22', 'k23']);
    tried.clear();
    expect(idsOf(s.find('accounts', { _id: { $gte: 'k20' } }, { sort: { _id: 1 }, limit: 2 }))).toEqual(['k20', 'k21']);
    expect([...tried].sort()).toEqual(['k20', 'k21']);
    expect(all).not.toHaveBeenCalled();
  });

  test('the bookkeeping stays exact: index lookups after renames and deletes, no history without a transaction, sorted ids kept over updates', () => {
    const s = openStore();
    for (let i = 0; i < 6; i++) put(s, 'accounts', `k${i}`, { code: `C${i}`, group: i % 2 });
    put(s, 'accounts', 'k1', { code: 'C1-renamed', group: 0 });
    s.write([{ c: 'accounts', id: 'k2', doc: undefined }]);
    const internals = s as unknown as {
      lookups: Map<string, Array<{ field: string; map: Map<string, string | Set<string>> }>>;
      history: Map<string, unknown>;
      versions: Map<string, number>;
      sorted: Map<string, unknown>;
    };
    // A value one document holds is kept as its id (no Set per document); shared values as a Set.
    const lookup = (field: string) => {
      const l = internals.lookups.get('accounts')!.find((x) => x.field === field)!;
      return Object.fromEntries([...l.map].map(([k, v]) => [k, typeof v === 'string' ? v : [...v].sort()]));
    };
    expect(lookup('code')).toEqual({ '"C0"': 'k0', '"C1-renamed"': 'k1', '"C3"': 'k3', '"C4"': 'k4', '"C5"': 'k5' });
    expect(lookup('group')).toEqual({ '0': ['k0', 'k1', 'k4'], '1': ['k3', 'k5'] });
    s.write([{ c: 'accounts', id: 'k5', doc: undefined }]);
    expect(lookup('group')).toEqual({ '0': ['k0', 'k1', 'k4'], '1': 'k3' });
    expect(s.find('accounts', { group: 1 }).map((d) => d._id)).toEqual(['k3']);
    put(s, 'accounts', 'k5', { code: 'C5', group: 1 });
    put(s, 'accounts', 'k5', { code: 'C5', group: 1, again: true });
    expect(lookup('group')).toEqual({ '0': ['k0', 'k1', 'k4'], '1': ['k3', 'k5'] });
    s.write([{ c: 'accounts', id: 'k3', doc: undefined }, { c: 'accounts', id: 'k5', doc: undefined }]);
    expect(lookup('group')).toEqual({ '0': ['k0', 'k1', 'k4'] });
    expect(s.find('accounts', { group: 1 })).toEqual([]);
    put(s, 'accounts', 'k3', { code: 'C3', group: 1 });
    put(s, 'accounts', 'k5', { code: 'C5', group: 1 });
    // No transaction open: neither the history nor the write versions are kept.
    expect(internals.history.size).toBe(0);
    expect(internals.versions.size).toBe(0);
    s.find('accounts', {}, { sort: { _id: 1 }, limit: 2 });
    const sorted = internals.sorted.get('accounts');
    put(s, 'accounts', 'k3', { code: 'C3', group: 1, more: 1 });
    s.find('accounts', {}, { sort: { _id: 1 }, limit: 2 });
    expect(internals.sorted.get('accounts')).toBe(sorted);
  });

  test('write versions live only while a transaction may need them, and still tell each transaction what changed after its start', () => {
    const s = openStore();
    const versions = (s as unknown as { versions: Map<string, number> }).versions;
    put(s, 'accounts', 'a', { code: 'A' });
    const early = s.startTransaction();
    put(s, 'accounts', 'b', { code: 'B' }); // after early's start, before late's
    const late = s.startTransaction();
    put(s, 'accounts', 'c', { code: 'C' }); // after both
    expect(versions.size).toBe(2);
    // early sees b and c as changed since it started; a is older than it.
    expect(() => s.txWrite(early, 'accounts', 'b', { _id: 'b', code: 'B2' })).toThrow(/WriteConflict/);
    s.abortTransaction(early);
    // Only late is open: b (before late's start) is dropped, c kept.
    expect([...versions.keys()].map((k) => k.split('\u0000')[1])).toEqual(['c']);
    s.txWrite(late, 'accounts', 'b', { _id: 'b', code: 'B3' });
    expect(() => s.txWrite(late, 'accounts', 'c', { _id: 'c', code: 'C2' })).toThrow(/WriteConflict/);
    s.commitTransaction(late);
    expect(versions.size).toBe(0);
    expect(s.getById('accounts', 'b')).toMatchObject({ code: 'B3' });
  });

  test('deleting a document frees its key for a document without one; a delete next to a document without a key is no duplicate', () => {
    const s = openStore();
    put(s, 'accounts', '1', { code: 'A' });
    put(s, 'accounts', '2', { other: true }); // code missing: indexed as null
    s.write([{ c: 'accounts', id: '1', doc: undefined }]);
    s.write([{ c: 'accounts', id: '2', doc: undefined }]);
    put(s, 'accounts', '3', { other: true });
    expect(() => put(s, 'accounts', '4', { other: true })).toThrow(/E11000/);
    // A collection with no index at all.
    s.createCollection('plain');
    put(s, 'plain', 'p', { code: 'A' });
    put(s, 'plain', 'q', { code: 'A' });
    s.write([{ c: 'plain', id: 'p', doc: undefined }]);
    expect(s.find('plain', { code: 'A' })).toEqual([{ _id: 'q', code: 'A' }]);
  });

  test('aborting a transaction that does not exist is refused', () => {
    const s = openStore();
    expect(() => s.abortTransaction('local-tx-none')).toThrow(/TransactionNotExist/);
  });
});

describe('what the whole store module’s first end-to-end run (2026-12-02) found unguarded', () => {
  test('unique keys are rebuilt from the journal at a restart: a key taken before it is still taken after', () => {
    const a = new Store(new Journal(dir), INDEXES);
    for (const c of Object.keys(INDEXES)) a.createCollection(c);
    put(a, 'accounts', 'x', { code: 'A' });
    put(a, 'pairs', 'p', { a: 1, b: 2 });
    a.close();
    const b = new Store(new Journal(dir), INDEXES);
    open.push(b);
    expect(() => put(b, 'accounts', 'y', { code: 'A' })).toThrow(/E11000 .*code_unique/);
    expect(() => put(b, 'pairs', 'q', { a: 1, b: 2 })).toThrow(/E11000 .*a_b_unique/);
    expect(() => put(b, 'accounts', 'y', { code: 'B' })).not.toThrow();
  });

  test('two different dates are two unique keys; the same date twice is one', () => {
    const s = openStore();
    put(s, 'accounts', 'd1', { code: new Date('2023-10-08T02:00:00Z') });
    expect(() => put(s, 'accounts', 'd2', { code: new Date('2023-10-09T02:00:00Z') })).not.toThrow();
    expect(() => put(s, 'accounts', 'd3', { code: new Date('2023-10-08T02:00:00Z') })).toThrow(/E11000 .*code_unique/);
  });

  test('a collection without any index takes any documents (no unique check to run)', () => {
    const s = openStore();
    s.createCollection('plain');
    put(s, 'plain', '1', { code: 'A' });
    put(s, 'plain', '2', { code: 'A' });
    s.write([
      { c: 'plain', id: '3', doc: { _id: '3', code: 'A' } },
      { c: 'accounts', id: 'k', doc: { _id: 'k', code: 'K' } },
    ]);
    expect(idsOf(s.find('plain', { code: 'A' }))).toEqual(['1', '2', '3']);
  });

  test('null for an index field finds the documents without it, as a scan would (not a lookup of scalars)', () => {
    const s = openStore();
    put(s, 'accounts', 'g1', { code: 'A', group: 1 });
    put(s, 'accounts', 'none', { code: 'B' });
    put(s, 'accounts', 'nul', { code: 'C', group: null });
    expect(idsOf(s.find('accounts', { group: null })).sort()).toEqual(['none', 'nul']);
    expect(idsOf(s.find('accounts', { group: 1 }))).toEqual(['g1']);
  });

  test('a page in _id order keeps only the projected fields', () => {
    const s = openStore();
    put(s, 'accounts', 'a', { code: 'A', group: 1, n: 5 });
    put(s, 'accounts', 'b', { code: 'B', group: 2, n: 6 });
    expect(s.find('accounts', { _id: { $gt: '' } }, { sort: { _id: 1 }, limit: 10, projection: { code: 1 } })).toEqual([
      { _id: 'a', code: 'A' },
      { _id: 'b', code: 'B' },
    ]);
    expect(s.find('accounts', {}, { sort: { _id: 1 }, limit: 1, projection: { n: 1 } })).toEqual([{ _id: 'a', n: 5 }]);
  });
});

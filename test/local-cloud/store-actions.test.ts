/**
 * The `database.*` actions of the local cloud in-process (issue 16: the whole store module's
 * mutation run found them guarded only through the SDK contract suite, which Stryker's store
 * module does not run). Each request is shaped as @cloudbase/node-sdk sends it: EJSON strings,
 * `queryType` DOC for `doc(id)` operations, `merge`/`upsert`/`multi` as booleans or strings.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EJSON } from 'bson';
import { AGGREGATE_DEFAULT_LIMIT, DatabaseActions, GET_CAP, resolveServerDates, toEJSON } from '../../cloudfunctions/local-cloud/database/actions';
import { Journal } from '../../cloudfunctions/local-cloud/database/journal';
import { Store, type IndexSpec } from '../../cloudfunctions/local-cloud/database/store';

const INDEXES: Record<string, IndexSpec[]> = { people: [{ name: 'code_unique', keys: { code: 1 }, unique: true }] };
const NOW = new Date('2023-10-08T02:00:00Z');
const clock = { now: () => NOW } as any;

let store: Store;
let db: DatabaseActions;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-actions-'));
  store = new Store(new Journal(dir), INDEXES);
  store.createCollection('people');
  db = new DatabaseActions(store, clock);
});
afterEach(() => store.close());

const ej = (v: unknown) => EJSON.stringify(v as any, { relaxed: false });
const run = (action: string, p: Record<string, unknown>) => db.run(action, { collectionName: 'people', ...p });
const list = (reply: any): any[] => reply.data.list.map((s: string) => EJSON.parse(s));
const ids = (reply: any): string[] => list(reply).map((d) => d._id).sort();
const insert = (...docs: Array<Record<string, unknown>>) => run('database.insertDocument', { data: docs.map((d) => ej(d)) });
const thrown = (f: () => unknown): any => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
};

describe('requests and replies', () => {
  test('the actions handled are the database.* ones', () => {
    expect(db.handles('database.getDocument')).toBe(true);
    expect(db.handles('functions.invokeFunction')).toBe(false);
    expect(db.handles('storage.database.x')).toBe(false);
  });

  test('an unknown database action, a missing or empty collection name and an internal collection are refused with the cloud codes', () => {
    const e = thrown(() => run('database.dropCollection', {}));
    expect([e.code, e.message]).toEqual(['INVALID_ACTION', '[LocalCloud] database action database.dropCollection is not supported by the local cloud']);
    for (const collectionName of [undefined, '', 42]) {
      const err = thrown(() => db.run('database.getDocument', { collectionName }));
      expect([err.code, err.message]).toEqual(['INVALID_PARAM', 'collectionName is required']);
    }
    store.createCollection('$meta');
    expect(thrown(() => db.run('database.getDocument', { collectionName: '$meta' })).code).toBe('DATABASE_COLLECTION_NOT_EXIST');
    expect(thrown(() => db.run('database.getDocument', { collectionName: 'nobody' })).code).toBe('DATABASE_COLLECTION_NOT_EXIST');
    // A name with a $ elsewhere is an ordinary collection.
    store.createCollection('a$');
    expect(db.run('database.getDocument', { collectionName: 'a$' })).toEqual({ data: { list: [], offset: 0, limit: GET_CAP } });
  });

  test('addCollection creates a collection once, then answers that it exists', () => {
    expect(db.run('database.addCollection', { collectionName: 'fresh' })).toEqual({});
    expect(store.hasCollection('fresh')).toBe(true);
    const e = thrown(() => db.run('database.addCollection', { collectionName: 'fresh' }));
    expect([e.code, e.message]).toEqual(['DATABASE_REQUEST_FAILED', '[ResourceInUse] Table exist. collection fresh already exists']);
  });

  test('replies are relaxed EJSON: plain JSON numbers and strings, dates as $date', () => {
    insert({ _id: 'a', code: 'A', n: 5, ratio: 0.5, at: NOW });
    const [text] = run('database.getDocument', {}).data.list;
    expect(JSON.parse(text)).toEqual({ _id: 'a', code: 'A', n: 5, ratio: 0.5, at: { $date: '2023-10-08T02:00:00Z' } });
    expect(JSON.parse(toEJSON({ n: 1 }))).toEqual({ n: 1 });
  });
});

describe('insertDocument', () => {
  test('one document or several; ids generated when missing or null; numbers stored as numbers', () => {
    const one = run('database.insertDocument', { data: ej({ code: 'A', n: 5 }) });
    expect(one.data.insertedIds).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/)]);
    const many = insert({ _id: null, code: 'B' }, { _id: 'c', code: 'C' });
    expect(many.data.insertedIds).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/), 'c']);
    const a = store.getById('people', one.data.insertedIds[0])!;
    expect(a).toEqual({ _id: one.data.insertedIds[0], code: 'A', n: 5 });
    expect(typeof a.n).toBe('number');
    expect(store.getById('people', many.data.insertedIds[0])).toEqual({ _id: many.data.insertedIds[0], code: 'B' });
    // An already-parsed document is taken as it is.
    expect(run('database.insertDocument', { data: { _id: 'obj', code: 'O' } }).data.insertedIds).toEqual(['obj']);
    expect(store.getById('people', 'obj')).toEqual({ _id: 'obj', code: 'O' });
    // The query matches the stored number (a relaxed parse: no Int32 wrapper on either side).
    expect(run('database.calculateDocument', { query: '{"n": 5}' })).toEqual({ data: { total: 1 } });
  });

  test('an existing id or an id twice in one request is a duplicate key, and nothing of the request is written', () => {
    insert({ _id: 'a', code: 'A' });
    expect(thrown(() => insert({ _id: 'a', code: 'X' })).message).toBe('[FailedOperation] E11000 duplicate key error collection: local.people index: _id_ dup key: { _id: "a" }');
    expect(thrown(() => insert({ _id: 'b', code: 'B' }, { _id: 'b', code: 'B2' })).message).toMatch(/E11000 .*_id_.*"b"/);
    expect(store.getById('people', 'b')).toBeUndefined();
    expect(store.getById('people', 'a')).toEqual({ _id: 'a', code: 'A' });
  });

  test('server dates in the data are the local cloud clock', () => {
    const r = insert({ _id: 's', code: 'S', at: { $tcb_server_date: { offset: 60_000 } } });
    expect(r.data.insertedIds).toEqual(['s']);
    expect(store.getById('people', 's')!.at.getTime()).toBe(NOW.getTime() + 60_000);
  });
});

describe('getDocument', () => {
  beforeEach(() => {
    run('database.insertDocument', { data: Array.from({ length: GET_CAP + 5 }, (_, i) => ej({ _id: `p${String(i).padStart(3, '0')}`, code: `C${i}`, n: i % 7 })) });
  });

  test('the limit: the one asked for, at most 100, 100 when absent or not positive', () => {
    const got = (limit: unknown) => run('database.getDocument', { limit, order: ej({ _id: 1 }) });
    expect(got(5).data).toMatchObject({ limit: 5, offset: 0 });
    expect(list(got(5))).toHaveLength(5);
    expect(list(got('7'))).toHaveLength(7);
    for (const limit of [undefined, 0, -3, 'x', GET_CAP + 50]) {
      const r = got(limit);
      expect([limit, r.data.limit, r.data.list.length]).toEqual([limit, GET_CAP, GET_CAP]);
    }
  });

  test('the offset skips documents in the order asked for; absent or negative is 0', () => {
    const page = (offset: unknown) => run('database.getDocument', { offset, limit: 3, order: ej({ n: -1, _id: 1 }) });
    expect(ids(page(2))).toEqual(['p020', 'p027', 'p034']);
    expect(page(2).data.offset).toBe(2);
    expect(list(page(undefined)).map((d) => d._id)).toEqual(['p006', 'p013', 'p020']);
    expect(page(-4).data.offset).toBe(0);
    expect(list(page(-4)).map((d) => d._id)).toEqual(['p006', 'p013', 'p020']);
  });

  test('a query, an empty query string and a projection', () => {
    expect(ids(run('database.getDocument', { query: ej({ n: 3, code: { $in: ['C3', 'C10', 'C11'] } }) }))).toEqual(['p003', 'p010']);
    expect(ids(run('database.getDocument', { query: '', limit: 2 }))).toHaveLength(2);
    expect(ids(run('database.getDocument', { query: { code: 'C4' } }))).toEqual(['p004']);
    expect(list(run('database.getDocument', { query: ej({ _id: 'p004' }), projection: ej({ code: 1 }) }))).toEqual([{ _id: 'p004', code: 'C4' }]);
  });

  test('a db.RegExp and a date in the query; a server date compares with the clock', () => {
    insert({ _id: 'd1', code: 'D1', at: new Date(NOW.getTime() - 1000) }, { _id: 'd2', code: 'D2', at: new Date(NOW.getTime() + 1000) });
    expect(ids(run('database.getDocument', { query: ej({ code: /^d\d$/i }) }))).toEqual(['d1', 'd2']);
    // A range, not an equality: under jest, stored dates (structuredClone) come from another realm than mingo's Date.
    expect(ids(run('database.getDocument', { query: ej({ at: { $gt: new Date(NOW.getTime()) } }) }))).toEqual(['d2']);
    expect(ids(run('database.getDocument', { query: ej({ at: { $lt: { $tcb_server_date: { offset: 0 } } } }) }))).toEqual(['d1']);
  });
});

describe('modifyDocument', () => {
  beforeEach(() => {
    insert({ _id: 'a', code: 'A', n: 1, keep: true }, { _id: 'b', code: 'B', n: 1 }, { _id: 'c', code: 'C', n: 2 });
  });

  test('doc(id).update merges plain fields; operators apply as they are', () => {
    expect(run('database.modifyDocument', { queryType: 'DOC', query: ej({ _id: 'a' }), data: ej({ n: 5 }) })).toEqual({ data: { updated: 1 } });
    expect(store.getById('people', 'a')).toEqual({ _id: 'a', code: 'A', n: 5, keep: true });
    expect(run('database.modifyDocument', { queryType: 'DOC', query: ej({ _id: { $eq: 'a' } }), data: ej({ $inc: { n: 2 } }) })).toEqual({ data: { updated: 1 } });
    expect(store.getById('people', 'a')).toEqual({ _id: 'a', code: 'A', n: 7, keep: true });
  });

  test('doc(id).set replaces the document (merge false, as a boolean or a string) and keeps its id', () => {
    for (const merge of [false, 'false']) {
      run('database.modifyDocument', { queryType: 'DOC', query: ej({ _id: 'a' }), merge, data: ej({ _id: 'other', code: 'A', v: String(merge) }) });
      expect(store.getById('people', 'a')).toEqual({ _id: 'a', code: 'A', v: String(merge) });
    }
    expect(store.getById('people', 'other')).toBeUndefined();
  });

  test('a missing document: nothing without upsert; created with it (true or "true")', () => {
    expect(run('database.modifyDocument', { queryType: 'DOC', query: ej({ _id: 'x' }), data: ej({ code: 'X' }) })).toEqual({ data: { updated: 0 } });
    expect(store.getById('people', 'x')).toBeUndefined();
    expect(run('database.modifyDocument', { queryType: 'DOC', query: ej({ _id: 'x' }), upsert: true, data: ej({ code: 'X' }) })).toEqual({ data: { updated: 0, upsert_id: 'x' } });
    expect(store.getById('people', 'x')).toEqual({ _id: 'x', code: 'X' });
    run('database.modifyDocument', { queryType: 'DOC', query: ej({ _id: 'y' }), upsert: 'true', merge: false, data: ej({ code: 'Y' }) });
    expect(store.getById('people', 'y')).toEqual({ _id: 'y', code: 'Y' });
  });

  test('a doc() operation needs an id: a string or $eq of one', () => {
    for (const query of [undefined, ej({ code: 'A' }), ej({ _id: null }), ej({ _id: { $eq: 5 } }), ej({ _id: { $in: ['a'] } })]) {
      const e = thrown(() => run('database.modifyDocument', { queryType: 'DOC', query, data: ej({ n: 0 }) }));
      expect([query, e.code, e.message]).toEqual([query, 'INVALID_PARAM', 'query must select a document by _id']);
    }
    expect(store.getById('people', 'a')!.n).toBe(1);
  });

  test('where().update: every match by default, one with multi false; replies updated and matched', () => {
    expect(run('database.modifyDocument', { query: ej({ n: 1 }), data: ej({ $set: { tag: 'all' } }) })).toEqual({ data: { updated: 2, matched: 2 } });
    expect(store.find('people', { tag: 'all' }).map((d) => d._id).sort()).toEqual(['a', 'b']);
    for (const multi of [false, 'false']) {
      expect(run('database.modifyDocument', { query: ej({ n: 1 }), multi, data: ej({ $inc: { hits: 1 } }) })).toEqual({ data: { updated: 1, matched: 1 } });
    }
    expect(store.find('people', { hits: { $exists: true } }).reduce((sum, d) => sum + d.hits, 0)).toBe(2);
    expect(run('database.modifyDocument', { query: ej({ n: 1 }), multi: true, data: ej({ $set: { tag: 'again' } }) }).data.updated).toBe(2);
  });

  test('where().update with upsert and no match creates one document under a new id; with a match it updates', () => {
    const r = run('database.modifyDocument', { query: ej({ code: 'Z' }), upsert: true, data: ej({ code: 'Z', n: 9 }) });
    expect(r).toEqual({ data: { updated: 0, upsert_id: expect.stringMatching(/^[0-9a-f]{32}$/) } });
    expect(store.getById('people', r.data.upsert_id)).toEqual({ _id: r.data.upsert_id, code: 'Z', n: 9 });
    expect(run('database.modifyDocument', { query: ej({ code: 'Z' }), upsert: true, data: ej({ n: 10 }) })).toEqual({ data: { updated: 1, matched: 1 } });
    expect(store.count('people', {})).toBe(4);
    expect(run('database.modifyDocument', { query: ej({ code: 'none' }), data: ej({ n: 10 }) })).toEqual({ data: { updated: 0, matched: 0 } });
    expect(store.count('people', {})).toBe(4);
  });

  test('a server date in an update is the clock', () => {
    run('database.modifyDocument', { queryType: 'DOC', query: ej({ _id: 'b' }), data: ej({ at: { $tcb_server_date: { offset: -5 } } }) });
    expect(store.getById('people', 'b')!.at.getTime()).toBe(NOW.getTime() - 5);
  });
});

describe('removeDocument', () => {
  beforeEach(() => {
    insert({ _id: 'a', code: 'A', n: 1 }, { _id: 'b', code: 'B', n: 1 }, { _id: 'c', code: 'C', n: 2 });
  });

  test('doc(id).remove removes that document, or replies 0 for a missing one', () => {
    expect(run('database.removeDocument', { queryType: 'DOC', query: ej({ _id: 'a' }) })).toEqual({ data: { deleted: 1 } });
    expect(store.getById('people', 'a')).toBeUndefined();
    expect(run('database.removeDocument', { queryType: 'DOC', query: ej({ _id: 'a' }) })).toEqual({ data: { deleted: 0 } });
    expect(store.count('people', {})).toBe(2);
  });

  test('a doc() removal needs an id: a query on other fields removes nothing, as for doc() updates', () => {
    for (const query of [ej({ n: 1 }), ej({ _id: { $in: ['b', 'c'] } })]) {
      const e = thrown(() => run('database.removeDocument', { queryType: 'DOC', query }));
      expect([e.code, e.message]).toEqual(['INVALID_PARAM', 'query must select a document by _id']);
    }
    expect(ids(run('database.getDocument', {}))).toEqual(['a', 'b', 'c']);
  });

  test('where().remove removes every match, or one with multi false', () => {
    expect(run('database.removeDocument', { query: ej({ n: 1 }), multi: 'false' })).toEqual({ data: { deleted: 1 } });
    expect(store.count('people', { n: 1 })).toBe(1);
    insert({ _id: 'd', code: 'D', n: 1 });
    expect(run('database.removeDocument', { query: ej({ n: 1 }), multi: false })).toEqual({ data: { deleted: 1 } });
    insert({ _id: 'e', code: 'E', n: 1 });
    expect(run('database.removeDocument', { query: ej({ n: 1 }) })).toEqual({ data: { deleted: 2 } });
    expect(ids(run('database.getDocument', {}))).toEqual(['c']);
  });
});

describe('calculateDocument and aggregateDocuments', () => {
  beforeEach(() => {
    run('database.insertDocument', { data: Array.from({ length: 30 }, (_, i) => ej({ _id: `p${String(i).padStart(2, '0')}`, code: `C${i}`, n: i % 3 })) });
  });

  test('count with and without a query', () => {
    expect(run('database.calculateDocument', { query: ej({ n: 0 }) })).toEqual({ data: { total: 10 } });
    expect(run('database.calculateDocument', {})).toEqual({ data: { total: 30 } });
  });

  test('the stages run in order; without a $limit stage at most 20 come back', () => {
    const agg = (stages: Array<[string, unknown]>) => list(run('database.aggregateDocuments', { stages: stages.map(([stageKey, v]) => ({ stageKey, stageValue: ej(v) })) }));
    expect(agg([])).toHaveLength(AGGREGATE_DEFAULT_LIMIT);
    expect(list(run('database.aggregateDocuments', {}))).toHaveLength(AGGREGATE_DEFAULT_LIMIT);
    expect(agg([['$match', { n: 1 }]])).toHaveLength(10);
    expect(agg([['$sort', { _id: 1 }], ['$limit', 25]])).toHaveLength(25);
    expect(agg([['$limit', 25]])).toHaveLength(25);
    expect(agg([['$group', { _id: '$n', count: { $sum: 1 } }], ['$sort', { _id: 1 }]])).toEqual([
      { _id: 0, count: 10 },
      { _id: 1, count: 10 },
      { _id: 2, count: 10 },
    ]);
    expect(agg([['$match', { at: { $lte: { $tcb_server_date: {} } } }]])).toEqual([]);
  });
});

describe('transactions through the actions', () => {
  test('writes in a transaction are invisible outside until the commit; reads inside see them', () => {
    insert({ _id: 'a', code: 'A', n: 1 });
    const { transactionId } = db.run('database.startTransaction', {});
    expect(transactionId).toMatch(/^local-tx-[0-9a-f]{32}$/);
    const tx = { transactionId };
    expect(run('database.insertDocument', { ...tx, data: ej({ _id: 'b', code: 'B', n: 7 }) })).toEqual({ data: { insertedIds: ['b'] } });
    expect(run('database.modifyDocument', { ...tx, query: ej({ _id: 'a' }), data: ej({ $inc: { n: 1 } }) })).toEqual({ data: { updated: 1 } });
    expect(run('database.modifyDocument', { ...tx, query: ej({ _id: 'm' }), data: ej({ code: 'M' }) })).toEqual({ data: { updated: 0 } });
    expect(run('database.modifyDocument', { ...tx, query: ej({ _id: 'u' }), upsert: true, data: ej({ code: 'U' }) })).toEqual({ data: { updated: 0, upsert_id: 'u' } });
    expect(list(run('database.getDocument', { ...tx, queryType: 'DOC', query: ej({ _id: 'a' }) }))).toEqual([{ _id: 'a', code: 'A', n: 2 }]);
    expect(list(run('database.getDocument', { ...tx, queryType: 'DOC', query: ej({ _id: 'b' }), projection: ej({ code: 1 }) }))).toEqual([{ _id: 'b', code: 'B' }]);
    expect(list(run('database.getDocument', { ...tx, queryType: 'DOC', query: ej({ _id: 'b' }) }))).toEqual([{ _id: 'b', code: 'B', n: 7 }]);
    expect(list(run('database.getDocument', { ...tx, queryType: 'DOC', query: ej({ _id: 'gone' }) }))).toEqual([]);
    expect(ids(run('database.getDocument', {}))).toEqual(['a']);
    expect(store.getById('people', 'a')!.n).toBe(1);
    expect(db.run('database.commitTransaction', tx)).toEqual({});
    expect(ids(run('database.getDocument', {}))).toEqual(['a', 'b', 'u']);
    expect(store.getById('people', 'b')).toEqual({ _id: 'b', code: 'B', n: 7 });
    expect(store.getById('people', 'a')!.n).toBe(2);
  });

  test('a duplicate id inside a transaction, a query read, remove and abort', () => {
    insert({ _id: 'a', code: 'A' }, { _id: 'b', code: 'B' });
    const tx = { transactionId: db.run('database.startTransaction', {}).transactionId };
    expect(thrown(() => run('database.insertDocument', { ...tx, data: ej({ _id: 'a', code: 'A2' }) })).message).toMatch(/E11000 .*_id_.*"a"/);
    const e = thrown(() => run('database.getDocument', { ...tx, query: ej({ code: 'A' }) }));
    expect([e.code, e.message]).toEqual(['INVALID_PARAM', '[LocalCloud] transactions only take single-document operations (doc().get)']);
    expect(run('database.removeDocument', { ...tx, query: ej({ _id: 'a' }) })).toEqual({ data: { deleted: 1 } });
    expect(run('database.removeDocument', { ...tx, query: ej({ _id: 'zz' }) })).toEqual({ data: { deleted: 0 } });
    expect(list(run('database.getDocument', { ...tx, queryType: 'DOC', query: ej({ _id: 'a' }) }))).toEqual([]);
    expect(store.getById('people', 'a')).toEqual({ _id: 'a', code: 'A' });
    expect(db.run('database.abortTransaction', tx)).toEqual({});
    expect(store.isTransactionActive(tx.transactionId)).toBe(false);
    expect(ids(run('database.getDocument', {}))).toEqual(['a', 'b']);
    // An empty transaction id is no transaction: the write lands at once.
    expect(run('database.removeDocument', { transactionId: '', queryType: 'DOC', query: ej({ _id: 'b' }) })).toEqual({ data: { deleted: 1 } });
    expect(store.getById('people', 'b')).toBeUndefined();
  });
});

describe('resolveServerDates', () => {
  test('dates and other class instances pass through untouched; undefined stays undefined', () => {
    const at = new Date('2020-01-01T00:00:00Z');
    const out = resolveServerDates({ at, list: [at], s: 'x', n: 1 }, NOW);
    expect(out.at).toBe(at);
    expect(out.list[0]).toBe(at);
    expect(resolveServerDates(undefined, NOW)).toBeUndefined();
    expect(resolveServerDates({ a: undefined }, NOW)).toEqual({ a: undefined });
    expect(resolveServerDates({ $tcb_server_date: { offset: 'soon' } }, NOW)).toEqual(NOW);
  });
});

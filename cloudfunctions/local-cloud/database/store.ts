/**
 * The document store: collections of EJSON-typed documents in memory, made durable
 * by the journal, with unique indexes and snapshot transactions. Query, update and
 * aggregation semantics come from mingo; this file is only the glue.
 */
import { randomBytes } from 'crypto';
import { Aggregator, Query, update as mingoUpdate } from 'mingo';
import { Doc, Journal, JournalRecord, Snapshot } from './journal';

export interface IndexSpec {
  name: string;
  keys: Record<string, number>;
  unique?: boolean;
  /** Documents missing every key field are not indexed (MongoDB `sparse`). */
  sparse?: boolean;
}

/** An error the SDK understands: `code` is a TCB error code name. */
export class DbError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const dbErrors = {
  collectionNotExist: () =>
    new DbError(
      'DATABASE_COLLECTION_NOT_EXIST',
      '[ResourceNotFound] Db or Table not exist. Please check your request, but if the problem cannot be solved, contact us.',
    ),
  collectionExists: (c: string) => new DbError('DATABASE_REQUEST_FAILED', `[ResourceInUse] Table exist. collection ${c} already exists`),
  duplicate: (c: string, index: string, key: string) =>
    new DbError('DATABASE_REQUEST_FAILED', `[FailedOperation] E11000 duplicate key error collection: local.${c} index: ${index} dup key: ${key}`),
  conflict: () =>
    new DbError(
      'DATABASE_TRANSACTION_CONFLICT',
      '[ResourceUnavailable.TransactionConflict] Transaction is conflicting with another operation (WriteConflict). Please retry.',
    ),
  transactionNotExist: () =>
    new DbError('DATABASE_REQUEST_FAILED', '[ResourceNotFound.TransactionNotExist] Transaction does not exist or has expired.'),
  invalid: (message: string) => new DbError('INVALID_PARAM', message),
};

export const MINGO_OPTIONS = { idKey: '_id' } as const;

export function newId(): string {
  return randomBytes(16).toString('hex');
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}

const keyOf = (c: string, id: string) => `${c}\u0000${id}`;

interface UniqueIndex {
  spec: IndexSpec;
  map: Map<string, string>; // key -> _id
}

/**
 * The documents by the value of a field that leads an index (unique or not): what lets the cloud
 * answer `{field: value}` and `{field: {$in: [...]}}` from the index instead of a scan.
 */
interface Lookup {
  field: string;
  /**
   * JSON of the scalar value -> the _id, or a Set of them when several documents share it. Most
   * looked-up fields are near unique (idHash, outTradeNo): one string per value instead of a Set
   * keeps a city's million persons from costing a million Sets of heap for the GC to walk.
   */
  map: Map<string, string | Set<string>>;
}

const isScalar = (v: unknown): v is string | number => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

interface Change {
  c: string;
  id: string;
  doc: Doc | undefined; // undefined = delete
}

export interface Transaction {
  id: string;
  startSeq: number;
  writes: Map<string, Change>;
  lastUsed: number;
}

function getPath(doc: any, path: string): any {
  let cur = doc;
  for (const part of path.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = cur[part];
  }
  return cur;
}

export class Store {
  private colls = new Map<string, Map<string, Doc>>();
  /**
   * The sequence number of each document's last write, kept only while a transaction is open:
   * a transaction compares it with its start, and one started later has a later start than any
   * write before it (so the map is empty between transactions instead of one entry per document).
   */
  private versions = new Map<string, number>();
  private seq = 0;
  private indexes = new Map<string, UniqueIndex[]>();
  private lookups = new Map<string, Lookup[]>();
  /** Each collection's ids in order, rebuilt after a document is added or removed (not on updates). */
  private sorted = new Map<string, { m: Map<string, Doc>; ids: string[] }>();
  private history = new Map<string, Array<{ until: number; value: Doc | undefined }>>();
  private txs = new Map<string, Transaction>();
  private locks = new Map<string, string>();
  private sweeper: NodeJS.Timeout;

  constructor(
    private readonly journal: Journal,
    indexSpecs: Record<string, IndexSpec[]>,
    private readonly txTimeoutMs = 60_000,
  ) {
    const { snapshot, records } = journal.load();
    for (const [c, docs] of Object.entries(snapshot.collections)) {
      const m = new Map<string, Doc>();
      for (const d of docs) m.set(d._id, d);
      this.colls.set(c, m);
    }
    for (const r of records) this.replay(r);
    for (const [c, specs] of Object.entries(indexSpecs)) {
      this.indexes.set(c, specs.filter((s) => s.unique).map((spec) => ({ spec, map: new Map() })));
      const leading = [...new Set(specs.map((spec) => Object.keys(spec.keys)[0]).filter((f): f is string => !!f && f !== '_id'))];
      this.lookups.set(c, leading.map((field) => ({ field, map: new Map() })));
    }
    for (const c of this.colls.keys()) this.rebuildIndexes(c);
    journal.compact(this.snapshot());
    this.sweeper = setInterval(() => this.sweepTransactions(), 5_000);
    this.sweeper.unref();
  }

  close(): void {
    clearInterval(this.sweeper);
    this.journal.close();
  }

  private replay(r: JournalRecord): void {
    switch (r.op) {
      case 'coll':
        if (!this.colls.has(r.c)) this.colls.set(r.c, new Map());
        break;
      case 'put':
        if (!this.colls.has(r.c)) this.colls.set(r.c, new Map());
        this.colls.get(r.c)!.set(r.d._id, r.d);
        break;
      case 'del':
        this.colls.get(r.c)?.delete(r.id);
        break;
      case 'batch':
        r.ops.forEach((o) => this.replay(o));
        break;
    }
  }

  private snapshot(): Snapshot {
    const collections: Record<string, Doc[]> = {};
    for (const [c, m] of this.colls) collections[c] = [...m.values()];
    return { collections };
  }

  private rebuildIndexes(c: string): void {
    for (const l of this.lookups.get(c) ?? []) {
      l.map.clear();
      for (const d of this.colls.get(c)?.values() ?? []) this.lookupAdd(l, d);
    }
    const idx = this.indexes.get(c);
    if (!idx) return;
    for (const ix of idx) {
      ix.map.clear();
      for (const d of this.colls.get(c)?.values() ?? []) {
        const k = this.indexKey(ix.spec, d);
        if (k !== undefined) ix.map.set(k, d._id);
      }
    }
  }

  private lookupAdd(l: Lookup, d: Doc, id: string = d._id): void {
    const v = getPath(d, l.field);
    if (!isScalar(v)) return;
    const k = JSON.stringify(v);
    const ids = l.map.get(k);
    if (ids === undefined) l.map.set(k, id);
    else if (typeof ids !== 'string') ids.add(id);
    else if (ids !== id) l.map.set(k, new Set([ids, id]));
  }

  private lookupRemove(l: Lookup, d: Doc, id: string): void {
    const v = getPath(d, l.field);
    if (!isScalar(v)) return;
    const k = JSON.stringify(v);
    const ids = l.map.get(k);
    if (ids === undefined) return;
    if (typeof ids === 'string') {
      if (ids === id) l.map.delete(k);
      return;
    }
    ids.delete(id);
    if (ids.size === 1) l.map.set(k, ids.values().next().value as string);
    else if (ids.size === 0) l.map.delete(k);
  }

  private indexKey(spec: IndexSpec, doc: Doc): string | undefined {
    const fields = Object.keys(spec.keys);
    const values = fields.map((f) => getPath(doc, f));
    if (spec.sparse && values.every((v) => v === undefined)) return undefined;
    // MongoDB indexes a missing field as null.
    return JSON.stringify(values.map((v) => (v === undefined ? null : v instanceof Date ? { $date: v.getTime() } : v)));
  }

  private describeKey(spec: IndexSpec, doc: Doc): string {
    const parts = Object.keys(spec.keys).map((f) => `${f}: ${JSON.stringify(getPath(doc, f) ?? null)}`);
    return `{ ${parts.join(', ')} }`;
  }

  // ---- collections ----

  hasCollection(c: string): boolean {
    return this.colls.has(c);
  }

  collectionNames(): string[] {
    return [...this.colls.keys()];
  }

  createCollection(c: string): boolean {
    if (this.colls.has(c)) return false;
    this.journal.append({ op: 'coll', c });
    this.colls.set(c, new Map());
    this.rebuildIndexes(c);
    return true;
  }

  private requireColl(c: string): Map<string, Doc> {
    const m = this.colls.get(c);
    if (!m) throw dbErrors.collectionNotExist();
    return m;
  }

  // ---- reads ----

  getById(c: string, id: string): Doc | undefined {
    const d = this.requireColl(c).get(id);
    return d ? clone(d) : undefined;
  }

  /** Live documents (not cloned): callers must not mutate them. */
  all(c: string): Doc[] {
    return [...this.requireColl(c).values()];
  }

  find(
    c: string,
    filter: Record<string, any>,
    opts: { sort?: Record<string, 1 | -1>; skip?: number; limit?: number; projection?: Record<string, any> } = {},
  ): Doc[] {
    const candidates = this.byIds(c, filter) ?? this.byLookup(c, filter);
    if (!candidates) {
      const page = this.byIdOrder(c, filter, opts);
      if (page) return new Query({}, MINGO_OPTIONS).find<Doc>(page, opts.projection && Object.keys(opts.projection).length ? opts.projection : undefined).all().map((d) => clone(d));
    }
    const docs = candidates ?? this.all(c);
    let cursor = new Query(filter ?? {}, MINGO_OPTIONS).find<Doc>(docs, opts.projection && Object.keys(opts.projection).length ? opts.projection : undefined);
    if (opts.sort && Object.keys(opts.sort).length) cursor = cursor.sort(opts.sort as any);
    if (opts.skip) cursor = cursor.skip(opts.skip);
    if (opts.limit !== undefined) cursor = cursor.limit(opts.limit);
    return cursor.all().map((d) => clone(d));
  }

  /**
   * The candidates of a filter on `_id` (a value or `$in`), looked up by id instead of scanning
   * the collection: the cloud answers such reads from its primary index, and the season's jobs
   * read pages of 100 ids from collections of 100,000 documents. The full filter still applies.
   */
  private byIds(c: string, filter: Record<string, any> | undefined): Doc[] | null {
    const id = filter?._id;
    if (id === undefined || id === null) return null;
    const ids = typeof id === 'string' ? [id] : id && typeof id === 'object' && Array.isArray(id.$in) && Object.keys(id).length === 1 ? id.$in : null;
    if (!ids || !ids.every((x: unknown) => typeof x === 'string')) return null;
    const coll = this.requireColl(c);
    return [...new Set(ids as string[])].map((x) => coll.get(x)).filter((d): d is Doc => !!d);
  }

  /**
   * The same for a filter on a field that leads an index (persons by idHash, orders by
   * outTradeNo, the assistance lists by idHash and year): the cloud answers those from the index
   * too, and the season's jobs read 100 idHashes per step from a city's worth of documents. Only
   * a scalar or a `$in` of scalars (an equality MongoDB answers from the index); the full filter
   * still applies to the candidates. Indexed fields hold scalars here (a field holding an array
   * would need MongoDB's multikey rule, and a document whose field is not a scalar is not found).
   */
  private byLookup(c: string, filter: Record<string, any> | undefined): Doc[] | null {
    if (!filter) return null;
    for (const l of this.lookups.get(c) ?? []) {
      const v = filter[l.field];
      const values = isScalar(v) ? [v] : v && typeof v === 'object' && Object.keys(v).length === 1 && Array.isArray(v.$in) && v.$in.every(isScalar) ? v.$in : null;
      if (!values) continue;
      const coll = this.requireColl(c);
      const ids = new Set<string>();
      for (const key of values) {
        const found = l.map.get(JSON.stringify(key));
        if (typeof found === 'string') ids.add(found);
        else for (const id of found ?? []) ids.add(id);
      }
      return [...ids].map((id) => coll.get(id)).filter((d): d is Doc => !!d);
    }
    return null;
  }

  /**
   * A page in `_id` order (`orderBy _id asc`, a limit, no skip), the keyset paging every long
   * job uses (`_id > last`): walked from the lower bound in the collection's sorted ids until the
   * page is full, as the cloud walks its `_id` index, instead of filtering and sorting the whole
   * collection for every page. The full filter applies to each document walked.
   */
  private byIdOrder(c: string, filter: Record<string, any> | undefined, opts: { sort?: Record<string, 1 | -1>; skip?: number; limit?: number }): Doc[] | null {
    const sortKeys = Object.keys(opts.sort ?? {});
    if (sortKeys.length !== 1 || sortKeys[0] !== '_id' || opts.sort!._id !== 1 || !opts.limit || opts.limit < 1 || opts.skip) return null;
    const m = this.requireColl(c);
    let entry = this.sorted.get(c);
    if (!entry || entry.m !== m) {
      entry = { m, ids: [...m.keys()].sort() };
      this.sorted.set(c, entry);
    }
    const { ids } = entry;
    const f = filter?._id;
    let from = 0;
    if (f && typeof f === 'object' && !Array.isArray(f)) {
      const bound = typeof f.$gt === 'string' ? { v: f.$gt as string, strict: true } : typeof f.$gte === 'string' ? { v: f.$gte as string, strict: false } : null;
      if (bound) {
        let lo = 0;
        let hi = ids.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (ids[mid] < bound.v || (bound.strict && ids[mid] === bound.v)) lo = mid + 1;
          else hi = mid;
        }
        from = lo;
      }
    }
    const q = new Query(filter ?? {}, MINGO_OPTIONS);
    const page: Doc[] = [];
    for (let i = from; i < ids.length && page.length < opts.limit; i++) {
      const d = m.get(ids[i]);
      if (d && q.test(d)) page.push(d);
    }
    return page;
  }

  projectOne(doc: Doc, projection?: Record<string, any>): Doc[] {
    if (!projection || Object.keys(projection).length === 0) return [doc];
    return new Query({}, MINGO_OPTIONS).find<Doc>([doc], projection).all().map((d) => clone(d));
  }

  count(c: string, filter: Record<string, any>): number {
    const q = new Query(filter ?? {}, MINGO_OPTIONS);
    let n = 0;
    for (const d of this.requireColl(c).values()) if (q.test(d)) n++;
    return n;
  }

  aggregate(c: string, pipeline: Record<string, any>[]): any[] {
    const docs = this.all(c);
    const agg = new Aggregator(pipeline, {
      ...MINGO_OPTIONS,
      collectionResolver: (name: string) => (this.colls.has(name) ? [...this.colls.get(name)!.values()] : []),
    } as any);
    return agg.run(docs).map((d: any) => clone(d));
  }

  // ---- writes ----

  /** Applies an update modifier (MongoDB operators) to a copy of `doc`. */
  static applyModifier(doc: Doc, modifier: Record<string, any>): Doc {
    const copy = clone(doc);
    mingoUpdate(copy, modifier as any, undefined, undefined, { cloneMode: 'deep' });
    return copy;
  }

  /** Commits changes atomically: unique check, journal (fsync), then memory. */
  write(changes: Change[]): void {
    if (changes.length === 0) return;
    for (const ch of changes) this.requireColl(ch.c);
    this.checkUnique(changes);
    const recs: JournalRecord[] = changes.map((ch) => (ch.doc ? { op: 'put', c: ch.c, d: ch.doc } : { op: 'del', c: ch.c, id: ch.id }));
    this.journal.append(recs.length === 1 ? recs[0] : { op: 'batch', ops: recs });
    const seq = ++this.seq;
    for (const ch of changes) {
      const m = this.colls.get(ch.c)!;
      const prev = m.get(ch.id);
      const key = keyOf(ch.c, ch.id);
      if (this.txs.size > 0) {
        const h = this.history.get(key) ?? [];
        h.push({ until: seq, value: prev });
        this.history.set(key, h);
      }
      if (!prev !== !ch.doc) this.sorted.delete(ch.c);
      for (const l of this.lookups.get(ch.c) ?? []) {
        if (prev) this.lookupRemove(l, prev, ch.id);
        if (ch.doc) this.lookupAdd(l, ch.doc, ch.id);
      }
      for (const ix of this.indexes.get(ch.c) ?? []) {
        if (prev) {
          const k = this.indexKey(ix.spec, prev);
          if (k !== undefined && ix.map.get(k) === ch.id) ix.map.delete(k);
        }
        if (ch.doc) {
          const k = this.indexKey(ix.spec, ch.doc);
          if (k !== undefined) ix.map.set(k, ch.id);
        }
      }
      if (ch.doc) m.set(ch.id, clone(ch.doc));
      else m.delete(ch.id);
      if (this.txs.size > 0) this.versions.set(key, seq);
    }
  }

  private checkUnique(changes: Change[]): void {
    const byColl = new Map<string, Change[]>();
    for (const ch of changes) byColl.set(ch.c, [...(byColl.get(ch.c) ?? []), ch]);
    for (const [c, chs] of byColl) {
      const idx = this.indexes.get(c);
      if (!idx || idx.length === 0) continue;
      const m = this.colls.get(c)!;
      for (const ix of idx) {
        const freed = new Set<string>();
        for (const ch of chs) {
          const prev = m.get(ch.id);
          if (prev) {
            const k = this.indexKey(ix.spec, prev);
            if (k !== undefined) freed.add(k);
          }
        }
        const taken = new Map<string, string>();
        for (const ch of chs) {
          if (!ch.doc) continue;
          const k = this.indexKey(ix.spec, ch.doc);
          if (k === undefined) continue;
          const owner = taken.has(k) ? taken.get(k) : freed.has(k) ? undefined : ix.map.get(k);
          if (owner !== undefined && owner !== ch.id) throw dbErrors.duplicate(c, ix.spec.name, this.describeKey(ix.spec, ch.doc));
          taken.set(k, ch.id);
        }
      }
    }
  }

  // ---- transactions ----

  startTransaction(): string {
    const id = `local-tx-${newId()}`;
    this.txs.set(id, { id, startSeq: this.seq, writes: new Map(), lastUsed: Date.now() });
    return id;
  }

  private tx(id: string): Transaction {
    const t = this.txs.get(id);
    if (!t) throw dbErrors.transactionNotExist();
    t.lastUsed = Date.now();
    return t;
  }

  /** Snapshot read inside a transaction (sees its own writes). */
  txGet(txId: string, c: string, id: string): Doc | undefined {
    const t = this.tx(txId);
    this.requireColl(c);
    const key = keyOf(c, id);
    const own = t.writes.get(key);
    if (own) return own.doc ? clone(own.doc) : undefined;
    const version = this.versions.get(key) ?? 0;
    if (version <= t.startSeq) return this.getById(c, id);
    const h = this.history.get(key) ?? [];
    const entry = h.find((e) => e.until > t.startSeq);
    return entry?.value ? clone(entry.value) : undefined;
  }

  /** Buffers a write; a document another operation changed or holds fails at once. */
  txWrite(txId: string, c: string, id: string, doc: Doc | undefined): void {
    const t = this.tx(txId);
    this.requireColl(c);
    const key = keyOf(c, id);
    const holder = this.locks.get(key);
    if ((holder && holder !== txId) || (this.versions.get(key) ?? 0) > t.startSeq) throw dbErrors.conflict();
    this.checkUnique([...[...t.writes.values()].filter((w) => w.c === c && w.id !== id), { c, id, doc }]);
    this.locks.set(key, txId);
    t.writes.set(key, { c, id, doc: doc ? clone(doc) : undefined });
  }

  commitTransaction(txId: string): void {
    const t = this.tx(txId);
    try {
      for (const key of t.writes.keys()) {
        if ((this.versions.get(key) ?? 0) > t.startSeq) throw dbErrors.conflict();
      }
      this.write([...t.writes.values()]);
    } finally {
      this.endTransaction(txId);
    }
  }

  abortTransaction(txId: string): void {
    this.tx(txId);
    this.endTransaction(txId);
  }

  private endTransaction(txId: string): void {
    const t = this.txs.get(txId);
    if (!t) return;
    for (const key of t.writes.keys()) if (this.locks.get(key) === txId) this.locks.delete(key);
    this.txs.delete(txId);
    if (this.txs.size === 0) {
      this.history.clear();
      this.versions.clear();
      return;
    }
    const minStart = Math.min(...[...this.txs.values()].map((x) => x.startSeq));
    for (const [key, h] of this.history) {
      const kept = h.filter((e) => e.until > minStart);
      if (kept.length) this.history.set(key, kept);
      else this.history.delete(key);
    }
    for (const [key, seq] of this.versions) if (seq <= minStart) this.versions.delete(key);
  }

  private sweepTransactions(): void {
    const now = Date.now();
    for (const t of [...this.txs.values()]) if (now - t.lastUsed > this.txTimeoutMs) this.endTransaction(t.id);
  }

  isTransactionActive(txId: string): boolean {
    return this.txs.has(txId);
  }
}

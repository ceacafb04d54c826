/**
 * A typed document store over the SDK database: the one place that knows the
 * shapes the SDK returns and the errors it raises. Domain code uses `DocStore`
 * and `db.command` operators (`cmd`), never the raw SDK.
 */
import { rawDatabase } from './wx-cloud';
import { AppError } from './errors';

export type Filter = Record<string, unknown>;
export interface FindOptions {
  orderBy?: Array<[string, 'asc' | 'desc']>;
  skip?: number;
  /** At most 100: the cloud's cap for one get() in a function. */
  limit?: number;
  fields?: Record<string, boolean>;
}

/** Thrown when a unique index refuses a write: callers decide what it means. */
export class DuplicateKeyError extends Error {
  constructor(readonly collection: string) {
    super(`duplicate key in ${collection}`);
    this.name = 'DuplicateKeyError';
  }
}

export const MAX_PAGE = 100;

function isDuplicate(err: unknown): boolean {
  const text = String((err as { errMsg?: string; message?: string })?.errMsg ?? (err as Error)?.message ?? err);
  return /E11000|duplicate key/i.test(text);
}

/**
 * A connection the SDK reused after the other side had closed it (a keep-alive socket reset, a
 * connection refused for a moment): the request never reached the database. Seen as INTERNAL on
 * `staffLists.uploadTicket` under load in the reliability suite (issue 14): its only database
 * work is reading the staff record.
 */
export function isConnectionReset(err: unknown): boolean {
  const e = err as { code?: string; message?: string; errMsg?: string };
  return /^(ECONNRESET|EPIPE|ECONNREFUSED)$/.test(String(e?.code ?? '')) || /ECONNRESET|EPIPE|socket hang up|connect timeout/i.test(String(e?.errMsg ?? e?.message ?? ''));
}

/** A read is idempotent: tried once more after a reset connection (never a write: it may have been applied). */
async function read<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!isConnectionReset(err)) throw err;
    return run();
  }
}

function rethrow(collection: string, err: unknown): never {
  if (isDuplicate(err)) throw new DuplicateKeyError(collection);
  throw err;
}

export interface TxStore {
  get<T>(collection: string, id: string): Promise<(T & { _id: string }) | null>;
  set(collection: string, id: string, doc: object): Promise<void>;
  update(collection: string, id: string, patch: object): Promise<void>;
  insert(collection: string, doc: object & { _id?: string }): Promise<string>;
  remove(collection: string, id: string): Promise<void>;
}

export interface DocStore extends TxStore {
  find<T>(collection: string, filter: Filter, options?: FindOptions): Promise<Array<T & { _id: string }>>;
  count(collection: string, filter: Filter): Promise<number>;
  updateWhere(collection: string, filter: Filter, patch: object): Promise<number>;
  /**
   * Several documents in one round trip (the SDK's add with an array; not in a transaction).
   * A duplicate key refuses the call (DuplicateKeyError): callers that repeat a chunk insert only
   * the ids a read found missing (see domain/jobs).
   */
  insertMany(collection: string, docs: Array<object & { _id?: string }>): Promise<string[]>;
  /** Single-document operations only, as in the cloud; retried once on conflict. */
  transaction<T>(work: (tx: TxStore) => Promise<T>): Promise<T>;
  /** db.command: query and update operators. */
  readonly cmd: any;
  serverDate(): unknown;
  /**
   * An aggregation pipeline run by the database (stages as MongoDB writes them: `{$match}`,
   * `{$group}`, `{$sort}`, `{$limit}`), for counts and sums that must not read every document
   * into the function. The cloud caps the result at 20 rows unless a `$limit` stage says more.
   */
  aggregate<T>(collection: string, stages: Array<Record<string, unknown>>): Promise<T[]>;
}

function txOps(handle: any): TxStore {
  return {
    async get<T>(collection: string, id: string) {
      try {
        const res = await handle.collection(collection).doc(id).get();
        return (res?.data ?? null) as (T & { _id: string }) | null;
      } catch (err) {
        // Outside a transaction the SDK reports a missing document as an error
        // unless throwOnNotFound is false; inside one it always throws.
        if (/not\s*exist|cannot find|does not exist/i.test(String((err as Error)?.message ?? err))) return null;
        throw err;
      }
    },
    async set(collection, id, doc) {
      try {
        await handle.collection(collection).doc(id).set({ data: doc });
      } catch (err) {
        rethrow(collection, err);
      }
    },
    async update(collection, id, patch) {
      try {
        await handle.collection(collection).doc(id).update({ data: patch });
      } catch (err) {
        rethrow(collection, err);
      }
    },
    async insert(collection, doc) {
      try {
        const res = await handle.collection(collection).add({ data: doc });
        return res._id as string;
      } catch (err) {
        rethrow(collection, err);
      }
    },
    async remove(collection, id) {
      await handle.collection(collection).doc(id).remove();
    },
  };
}

let store: DocStore | null = null;

export function docStore(): DocStore {
  if (store) return store;
  const db = rawDatabase();
  const ops = txOps(db);
  store = {
    ...ops,
    get: (collection, id) => read(() => ops.get(collection, id)),
    async find<T>(collection: string, filter: Filter, options: FindOptions = {}) {
      let q = db.collection(collection).where(filter);
      for (const [field, dir] of options.orderBy ?? []) q = q.orderBy(field, dir);
      if (options.skip) q = q.skip(options.skip);
      q = q.limit(Math.min(options.limit ?? MAX_PAGE, MAX_PAGE));
      if (options.fields) q = q.field(options.fields);
      const res: any = await read(() => q.get());
      return (res?.data ?? []) as Array<T & { _id: string }>;
    },
    async count(collection, filter) {
      const res: any = await read(() => db.collection(collection).where(filter).count());
      return res.total as number;
    },
    async updateWhere(collection, filter, patch) {
      try {
        const res = await db.collection(collection).where(filter).update({ data: patch });
        return (res?.stats?.updated ?? 0) as number;
      } catch (err) {
        rethrow(collection, err);
      }
    },
    async insertMany(collection, docs) {
      if (docs.length === 0) return [];
      try {
        const res = await db.collection(collection).add({ data: docs });
        return ((res?.ids ?? res?._ids ?? []) as string[]).map(String);
      } catch (err) {
        rethrow(collection, err);
      }
    },
    async transaction<T>(work: (tx: TxStore) => Promise<T>): Promise<T> {
      for (let attempt = 0; ; attempt++) {
        try {
          return (await db.runTransaction(async (t: any) => work(txOps(t)))) as T;
        } catch (err) {
          if (err instanceof AppError || err instanceof DuplicateKeyError) throw err;
          if (attempt >= 1 || !/conflict|WriteConflict|-502006|TransactionConflict/i.test(String((err as Error)?.message ?? (err as any)?.errMsg ?? err))) throw err;
        }
      }
    },
    cmd: db.command,
    serverDate: () => db.serverDate(),
    async aggregate<T>(collection: string, stages: Array<Record<string, unknown>>) {
      let agg = db.collection(collection).aggregate();
      for (const stage of stages) {
        const [op, arg] = Object.entries(stage)[0] ?? [];
        if (!op || typeof agg[op.replace(/^\$/, '')] !== 'function') throw new Error(`unsupported aggregation stage ${op}`);
        agg = agg[op.replace(/^\$/, '')](arg);
      }
      const res = await agg.end();
      return (res?.list ?? []) as T[];
    },
  };
  return store;
}

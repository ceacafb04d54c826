/**
 * The `database.*` actions of the CloudBase admin protocol, as sent by the pinned
 * @cloudbase/node-sdk inside wx-server-sdk. Requests carry EJSON strings; replies
 * are `{requestId, data: {...}}` or `{requestId, code, message}` on error.
 */
import { EJSON } from 'bson';
import type { Clock } from '../clock';
import { Doc } from './journal';
import { DbError, dbErrors, newId, Store } from './store';

/** Cloud limits for a server-side caller. */
export const GET_CAP = 100;
export const AGGREGATE_DEFAULT_LIMIT = 20;

function parseEJSON(text: unknown): any {
  if (text === undefined || text === null || text === '') return undefined;
  if (typeof text !== 'string') return text;
  return EJSON.parse(text, { relaxed: true });
}

export function toEJSON(doc: unknown): string {
  return EJSON.stringify(doc as any, { relaxed: true });
}

function isPlainObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** Replaces the SDK's `{$tcb_server_date: {offset}}` markers with the local cloud's now. */
export function resolveServerDates(value: any, now: Date): any {
  if (value && typeof value === 'object' && value._bsontype === 'BSONRegExp') {
    // db.RegExp arrives as a BSON regular expression; mingo matches JS RegExps.
    return new RegExp(value.pattern, String(value.options ?? '').replace(/[^imsu]/g, ''));
  }
  if (Array.isArray(value)) return value.map((v) => resolveServerDates(v, now));
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$tcb_server_date') {
      const offset = Number(value.$tcb_server_date?.offset ?? 0) || 0;
      return new Date(now.getTime() + offset);
    }
    const out: Record<string, any> = {};
    for (const k of keys) out[k] = resolveServerDates(value[k], now);
    return out;
  }
  return value;
}

function hasOperators(data: Record<string, any>): boolean {
  return Object.keys(data).some((k) => k.startsWith('$'));
}

function idFromQuery(query: any): string {
  const id = query?._id;
  if (typeof id === 'string') return id;
  if (id && typeof id === 'object' && typeof id.$eq === 'string') return id.$eq;
  throw dbErrors.invalid('query must select a document by _id');
}

function userCollection(p: any): string {
  const c = p.collectionName;
  if (typeof c !== 'string' || !c) throw dbErrors.invalid('collectionName is required');
  // Internal collections of the local cloud are not visible through the SDK.
  if (c.startsWith('$')) throw dbErrors.collectionNotExist();
  return c;
}

export class DatabaseActions {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  handles(action: string): boolean {
    return action.startsWith('database.');
  }

  /** Returns the `data`-level reply (merged into `{requestId, ...}` by the caller). */
  run(action: string, p: any): Record<string, any> {
    const txId: string | undefined = p.transactionId || undefined;
    switch (action) {
      case 'database.addCollection': {
        const c = userCollection(p);
        if (!this.store.createCollection(c)) throw dbErrors.collectionExists(c);
        return {};
      }
      case 'database.startTransaction':
        return { transactionId: this.store.startTransaction() };
      case 'database.commitTransaction':
        this.store.commitTransaction(p.transactionId);
        return {};
      case 'database.abortTransaction':
        this.store.abortTransaction(p.transactionId);
        return {};
      case 'database.insertDocument':
        return { data: this.insert(userCollection(p), p, txId) };
      case 'database.getDocument':
        return this.get(userCollection(p), p, txId);
      case 'database.calculateDocument': {
        const c = userCollection(p);
        return { data: { total: this.store.count(c, this.filter(p)) } };
      }
      case 'database.modifyDocument':
        return { data: this.modify(userCollection(p), p, txId) };
      case 'database.removeDocument':
        return { data: this.remove(userCollection(p), p, txId) };
      case 'database.aggregateDocuments':
        return { data: { list: this.aggregate(userCollection(p), p).map(toEJSON) } };
      default:
        throw new DbError('INVALID_ACTION', `[LocalCloud] database action ${action} is not supported by the local cloud`);
    }
  }

  private filter(p: any): Record<string, any> {
    const q = parseEJSON(p.query);
    return q ? resolveServerDates(q, this.clock.now()) : {};
  }

  private insert(c: string, p: any, txId?: string): { insertedIds: string[] } {
    const items: any[] = Array.isArray(p.data) ? p.data : [p.data];
    const now = this.clock.now();
    const docs: Doc[] = items.map((raw) => {
      const d = resolveServerDates(parseEJSON(raw) ?? {}, now);
      if (d._id === undefined || d._id === null) d._id = newId();
      return d as Doc;
    });
    if (txId) {
      for (const d of docs) {
        if (this.store.txGet(txId, c, d._id)) throw dbErrors.duplicate(c, '_id_', `{ _id: ${JSON.stringify(d._id)} }`);
        this.store.txWrite(txId, c, d._id, d);
      }
    } else {
      const seen = new Set<string>();
      for (const d of docs) {
        if (this.store.getById(c, d._id) || seen.has(d._id)) throw dbErrors.duplicate(c, '_id_', `{ _id: ${JSON.stringify(d._id)} }`);
        seen.add(d._id);
      }
      this.store.write(docs.map((d) => ({ c, id: d._id, doc: d })));
    }
    return { insertedIds: docs.map((d) => d._id) };
  }

  private get(c: string, p: any, txId?: string): Record<string, any> {
    const projection = parseEJSON(p.projection);
    if (txId) {
      if (p.queryType !== 'DOC') throw dbErrors.invalid('[LocalCloud] transactions only take single-document operations (doc().get)');
      const d = this.store.txGet(txId, c, idFromQuery(parseEJSON(p.query)));
      const list = d ? this.store.projectOne(d, projection) : [];
      return { data: { list: list.map(toEJSON) } };
    }
    const requested = Number(p.limit) > 0 ? Number(p.limit) : GET_CAP;
    const limit = Math.min(requested, GET_CAP);
    const offset = Number(p.offset) > 0 ? Number(p.offset) : 0;
    const docs = this.store.find(c, this.filter(p), { sort: parseEJSON(p.order), skip: offset, limit, projection });
    return { data: { list: docs.map(toEJSON), offset, limit } };
  }

  private modify(c: string, p: any, txId?: string): Record<string, any> {
    const now = this.clock.now();
    const data = resolveServerDates(parseEJSON(p.data) ?? {}, now);
    const replace = p.merge === false || p.merge === 'false';
    const upsert = p.upsert === true || p.upsert === 'true';
    const multi = !(p.multi === false || p.multi === 'false');
    const modifier = replace ? undefined : hasOperators(data) ? data : { $set: data };

    const next = (prev: Doc | undefined, id: string): Doc => {
      if (replace) {
        const { _id: _ignored, ...rest } = data;
        return { _id: id, ...rest } as Doc;
      }
      return Store.applyModifier(prev ?? ({ _id: id } as Doc), modifier!);
    };

    if (txId || p.queryType === 'DOC') {
      const id = idFromQuery(parseEJSON(p.query));
      if (txId) {
        const prev = this.store.txGet(txId, c, id);
        if (!prev && !upsert) return { updated: 0 };
        this.store.txWrite(txId, c, id, next(prev, id));
        return prev ? { updated: 1 } : { updated: 0, upsert_id: id };
      }
      const prev = this.store.getById(c, id);
      if (!prev && !upsert) return { updated: 0 };
      const doc = next(prev, id);
      this.store.write([{ c, id, doc }]);
      return prev ? { updated: 1 } : { updated: 0, upsert_id: id };
    }

    const matched = this.store.find(c, this.filter(p), multi ? {} : { limit: 1 });
    if (matched.length === 0 && upsert) {
      const id = newId();
      this.store.write([{ c, id, doc: next(undefined, id) }]);
      return { updated: 0, upsert_id: id };
    }
    const changes = matched.map((prev) => ({ c, id: prev._id, doc: next(prev, prev._id) }));
    this.store.write(changes);
    return { updated: changes.length, matched: matched.length };
  }

  private remove(c: string, p: any, txId?: string): Record<string, any> {
    if (txId || p.queryType === 'DOC') {
      const id = idFromQuery(parseEJSON(p.query));
      if (txId) {
        const prev = this.store.txGet(txId, c, id);
        if (!prev) return { deleted: 0 };
        this.store.txWrite(txId, c, id, undefined);
        return { deleted: 1 };
      }
      if (!this.store.getById(c, id)) return { deleted: 0 };
      this.store.write([{ c, id, doc: undefined }]);
      return { deleted: 1 };
    }
    const multi = !(p.multi === false || p.multi === 'false');
    const matched = this.store.find(c, this.filter(p), multi ? {} : { limit: 1 });
    this.store.write(matched.map((d) => ({ c, id: d._id, doc: undefined })));
    return { deleted: matched.length };
  }

  private aggregate(c: string, p: any): any[] {
    const stages: Array<{ stageKey: string; stageValue: string }> = p.stages ?? [];
    const now = this.clock.now();
    const pipeline = stages.map((s) => ({ [s.stageKey]: resolveServerDates(parseEJSON(s.stageValue), now) }));
    if (!pipeline.some((s) => '$limit' in s)) pipeline.push({ $limit: AGGREGATE_DEFAULT_LIMIT });
    return this.store.aggregate(c, pipeline);
  }
}

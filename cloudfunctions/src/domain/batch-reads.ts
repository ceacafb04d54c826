/**
 * Reads of many documents by a list of keys in a fixed number of round trips (issue 15: the
 * resident's home read each family member's person, documents, enrollment, assistance rows and
 * roster entry one by one, so its cost grew with the family and its history).
 */
import { MAX_PAGE, type Filter } from '../platform/database';
import type { Deps } from './context';

/**
 * Every document whose `field` is one of `values` and that matches `filter`: one `in` query per
 * 100 values, and a further page only while a page comes back full (the cloud returns at most
 * 100 documents per read). A family's documents therefore take one round trip, however many
 * members it has, until they pass 100 documents. `_id` is appended to the order so that pages
 * never overlap or skip a document.
 */
export async function findIn<T>(
  deps: Pick<Deps, 'db'>,
  collection: string,
  field: string,
  values: readonly string[],
  filter: Filter = {},
  options: { orderBy?: Array<[string, 'asc' | 'desc']>; fields?: Record<string, boolean> } = {},
): Promise<Array<T & { _id: string }>> {
  const unique = [...new Set(values)];
  const orderBy: Array<[string, 'asc' | 'desc']> = [...(options.orderBy ?? []), ['_id', 'asc']];
  const found: Array<T & { _id: string }> = [];
  for (let i = 0; i < unique.length; i += MAX_PAGE) {
    const chunk = unique.slice(i, i + MAX_PAGE);
    for (let skip = 0; ; skip += MAX_PAGE) {
      const page = await deps.db.find<T>(
        collection,
        { ...filter, [field]: deps.db.cmd.in(chunk) },
        { orderBy, skip, limit: MAX_PAGE, ...(options.fields ? { fields: { ...options.fields, _id: true } } : {}) },
      );
      found.push(...page);
      if (page.length < MAX_PAGE) break;
    }
  }
  return found;
}

/** Documents grouped by a key field, each group in the order read. */
export function groupBy<T>(docs: readonly T[], key: (doc: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const d of docs) {
    const k = key(d);
    const g = groups.get(k);
    if (g) g.push(d);
    else groups.set(k, [d]);
  }
  return groups;
}

/**
 * lazySchema (cloudfunctions/src/policy/lazy-schema.ts): the schema is built on first use, not
 * when its module loads (the cold-start saving), and behaves as the schema itself once built —
 * parsing, refinements, nesting in another schema, `instanceof`.
 */
import * as z from 'zod';
import { lazySchema } from '../../cloudfunctions/src/policy/lazy-schema';
import { policyTableSchema } from '../../cloudfunctions/src/policy/schema';
import { getPolicyTable } from '../../cloudfunctions/src/policy';

test('nothing is built until a property is read, then exactly once', () => {
  let builds = 0;
  const schema = lazySchema(() => {
    builds++;
    return z.strictObject({ n: z.number().int().min(1) });
  });
  expect(builds).toBe(0);
  expect(schema.safeParse({ n: 2 }).success).toBe(true);
  expect(schema.safeParse({ n: 0 }).success).toBe(false);
  expect(schema.parse({ n: 3 })).toEqual({ n: 3 });
  expect(builds).toBe(1);
});

test('a lazy schema nested in another one parses, refuses and reports paths like the schema itself', () => {
  const inner = lazySchema(() => z.strictObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).refine((v) => v.date >= '2000-01-01', 'too early'));
  const outer = z.strictObject({ items: z.array(inner), note: inner.optional() });
  expect(outer.parse({ items: [{ date: '2023-10-08' }] })).toEqual({ items: [{ date: '2023-10-08' }] });
  const bad = outer.safeParse({ items: [{ date: '1999-12-31' }, { date: 'x' }], note: { date: '2023-10-08', extra: 1 } });
  expect(bad.success).toBe(false);
  expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['items.0', 'items.1.date', 'note']);
  expect(inner instanceof z.ZodType).toBe(true);
});

test('the policy table schema is lazy and still checks a table', () => {
  const table = getPolicyTable(2024);
  expect(policyTableSchema.safeParse(table).success).toBe(true);
  const r = policyTableSchema.safeParse({ ...table, collectionWindow: { ...table.collectionWindow, end: '2000-01-01' } });
  expect(r.success).toBe(false);
  expect(r.error!.issues[0].message).toBe('集中参保缴费期的结束日期早于开始日期');
});

describe('buildFresh', () => {
  test('a new instance from the same builder, behaving the same', () => {
    const { buildFresh, lazySchema } = require('../../cloudfunctions/src/policy/lazy-schema');
    const z = require('zod');
    let builds = 0;
    const schema = lazySchema(() => {
      builds++;
      return z.strictObject({ a: z.number().int() });
    });
    const fresh = buildFresh(schema);
    expect(builds).toBe(1);
    expect(fresh.safeParse({ a: 1 }).success).toBe(true);
    expect(fresh.safeParse({ a: 1.5 }).success).toBe(false);
    expect(buildFresh(schema)).not.toBe(fresh);
    expect(builds).toBe(2);
    expect(() => buildFresh({})).toThrow('not a lazy schema');
  });
});

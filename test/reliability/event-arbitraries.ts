/**
 * fast-check arbitraries of function events, derived from the contracts' zod schemas (zod 4's
 * `_zod.def`): a valid-shaped event of one action (its strings drawn from a pool of real values
 * of the suite's population — other households' person, document and order ids among them —
 * kept only when the schema takes them), and hostile variants of it:
 *   wrong types, unknown keys (`__proto__`, `openid`, `$where`…), database operators in values,
 *   1 MB strings, deep nesting, impossible dates, a missing or unknown action, huge arrays.
 */
import fc from 'fast-check';
import type { z } from 'zod';

type Schema = z.ZodType;
const def = (s: Schema): any => (s as any)._zod.def;

/** Real values by field name (ids of the suite's population), plus generic ones for any string. */
export type Pools = Record<string, string[]>;

const GENERIC_STRINGS = [
  'abc', 'a1B2c3D4e5F6', '2023-10-08', '2024-01-01', '张三', '王秀兰', '13800001234', '合肥市蜀山区长江西路100号', 'R340111222', '核对材料后处理',
  'id_card_front', 'jpg', 'png', 'pdf', 'local', 'pending_review', 'approved', 'dibao', 'tekun', '蜀山区', 'org-340104', 'org-city', '安居苑社区',
  'cloud://local.local-bucket/uploads/x/abc.jpg', 'ABCD-EFGH-JKLM', 'O2023100810000000001', '2023-08', 'Local@2023', 'x'.repeat(40), '2024',
];
const NUMBERS = [0, 1, 2, 3, 5, 10, 20, 50, 100, 2022, 2023, 2024, 2025, 38000, 76000, 99, -1];

/** Valid-shaped values of a schema; `key` picks the pool of real values. */
export function validArb(schema: Schema, pools: Pools, key = ''): fc.Arbitrary<unknown> {
  const d = def(schema);
  switch (d.type) {
    case 'string': {
      const candidates = [...(pools[key] ?? []), ...(pools['*'] ?? []), ...GENERIC_STRINGS].filter((v) => schema.safeParse(v).success);
      return candidates.length ? fc.constantFrom(...candidates) : fc.string({ maxLength: 20 });
    }
    case 'number': {
      const ok = NUMBERS.filter((n) => schema.safeParse(n).success);
      return ok.length ? fc.constantFrom(...ok) : fc.integer();
    }
    case 'boolean':
      return fc.boolean();
    case 'literal':
      return fc.constantFrom(...d.values);
    case 'enum':
      return fc.constantFrom(...Object.values(d.entries));
    case 'optional':
      return fc.option(validArb(d.innerType, pools, key), { nil: undefined, freq: 3 });
    case 'nullable':
      return fc.option(validArb(d.innerType, pools, key), { nil: null, freq: 4 });
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return validArb(d.innerType, pools, key);
    case 'pipe':
      return validArb(d.in, pools, key);
    case 'union':
      return fc.oneof(...d.options.map((o: Schema) => validArb(o, pools, key)));
    case 'array': {
      const items = validArb(d.element, pools, key);
      return fc.constantFrom(1, 2, 3).chain((n) => fc.array(items, { minLength: n, maxLength: n })).filter((a) => schema.safeParse(a).success || true);
    }
    case 'object': {
      const entries = Object.entries(d.shape as Record<string, Schema>);
      return fc.record(Object.fromEntries(entries.map(([k, s]) => [k, validArb(s, pools, k)]))).map((o) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
        return out;
      });
    }
    case 'record':
      return fc.constant({});
    case 'tuple':
      return fc.tuple(...d.items.map((s: Schema) => validArb(s, pools, key)));
    default:
      return fc.constantFrom('x', 1, true, null);
  }
}

/** The object branches of a function's discriminated union, by action. */
export function actionsOf(schema: Schema): Map<string, Schema> {
  const d = def(schema);
  const out = new Map<string, Schema>();
  const branches: Schema[] = d.type === 'union' ? d.options : [schema];
  for (const b of branches) {
    const shape = def(b).shape;
    const action = shape?.action ? def(shape.action) : null;
    if (action?.type === 'literal') out.set(String(action.values[0]), b);
  }
  return out;
}

export const ONE_MB = 'x'.repeat(1024 * 1024);
/** 1,000 levels of objects (the gateway refuses more than 64 before a function sees it; in process there is no gateway). */
export const DEEP: unknown = (() => {
  let v: unknown = '1';
  for (let i = 0; i < 1000; i++) v = { a: v };
  return v;
})();
const OPERATORS: unknown[] = [{ $gt: '' }, { $ne: null }, { $where: 'sleep(5000) || true' }, { $regex: '.*', $options: 'i' }, { $in: ['a', 'b'] }, { $exists: true }, { $expr: { $eq: [1, 1] } }];
const WRONG: unknown[] = [123, -1, 1.5, true, false, null, [], {}, '', ['a'], { x: 1 }, 1e308];
const BAD_KEYS = ['__proto__', 'constructor', 'prototype', 'openid', '_openid', 'OPENID', 'WX_OPENID', 'userId', 'role', '$where', '$set', 'staff', 'isAdmin', 'x'];
const BAD_DATES = ['2023-02-30', '2023-02-29', '2023-13-01', '2023-00-10', '0000-00-00', '2023-04-31', '99999-01-01', '2023-1-1'];
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export type Hostile = 'wrong_type' | 'unknown_key' | 'operator' | 'one_mb_string' | 'deep_nesting' | 'proto' | 'impossible_date' | 'bad_action' | 'huge_array';
export const HOSTILE_KINDS: readonly Hostile[] = ['wrong_type', 'unknown_key', 'operator', 'one_mb_string', 'deep_nesting', 'proto', 'impossible_date', 'bad_action', 'huge_array'];

/**
 * Keys of an action that hold a calendar date: named like one (birthDate, collectedOn, from, to,
 * effectiveFrom, workDate…) and taking 2024-01-01. Such a key that takes 2023-02-30 is a finding;
 * other keys (a batch number of digits and dashes) may take date-like text.
 */
export function dateKeys(branch: Schema | null): string[] {
  const shape = branch ? def(branch).shape : null;
  if (!shape) return [];
  const named = /date|day|On$|^from$|^to$|effective/i;
  return Object.entries(shape as Record<string, Schema>).filter(([k, s]) => named.test(k) && s.safeParse('2024-01-01').success).map(([k]) => k);
}

/**
 * A hostile variant of a valid event: `kind` and the numbers r1, r2 (drawn by fast-check) choose
 * the key and the value. Plain functions over a pool of valid events drawn once per action: the
 * generation costs a few microseconds, so 1,000 events per action stay cheap.
 */
export function mutate(kind: Hostile, e: Record<string, unknown>, r1: number, r2: number, action: string | null, dates: string[]): unknown {
  const pickKey = (filter: (k: string, v: unknown) => boolean = () => true) => {
    const keys = Object.keys(e).filter((k) => k !== 'action' && filter(k, e[k]));
    return keys.length ? keys[r1 % keys.length] : null;
  };
  const typeOf = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  switch (kind) {
    case 'wrong_type': {
      const k = pickKey();
      // A value of another JSON type than the valid one (an array of strings for an array of ids would still be valid).
      const others = WRONG.filter((x) => typeOf(x) !== typeOf(k ? e[k] : e.action));
      return k ? { ...e, [k]: others[r2 % others.length] } : { ...e, action: others[r2 % others.length] };
    }
    case 'unknown_key':
      return { ...e, [BAD_KEYS[r1 % BAD_KEYS.length]]: (['x', 1, { $gt: '' }, true] as unknown[])[r2 % 4] };
    case 'operator': {
      const k = pickKey((_k, v) => typeof v === 'string' || typeof v === 'number');
      const op = OPERATORS[r2 % OPERATORS.length];
      return k ? { ...e, [k]: op } : { ...e, action: op };
    }
    case 'one_mb_string': {
      const k = pickKey((_k, v) => typeof v === 'string');
      return k ? { ...e, [k]: ONE_MB } : { ...e, action: ONE_MB };
    }
    case 'deep_nesting': {
      const k = pickKey();
      return k ? { ...e, [k]: DEEP } : { ...e, nested: DEEP };
    }
    case 'proto': {
      // An own "__proto__" key, as JSON.parse makes it from a request body.
      const k = pickKey((_k, v) => !!v && typeof v === 'object' && !Array.isArray(v));
      const proto = JSON.parse('{"__proto__": {"isAdmin": true, "role": "city", "openid": "oATTACKER"}}');
      return k ? { ...e, [k]: proto } : Object.assign(JSON.parse('{"__proto__": {"role": "city"}}'), e);
    }
    case 'impossible_date': {
      const bad = BAD_DATES[r2 % BAD_DATES.length];
      // No date in this action: the date comes as a key the action does not have.
      return dates.length ? { ...e, [dates[r1 % dates.length]]: bad } : { ...e, birthDate: bad };
    }
    case 'bad_action': {
      const { action: _a, ...rest } = e;
      const choices: unknown[] = [undefined, '', 'ADMIN', `${action ?? ''} `, (action ?? 'x').toUpperCase(), 'constructor', '__proto__', 'toString', 'hasOwnProperty'];
      const a = choices[r2 % choices.length];
      return a === undefined ? rest : { ...rest, action: a };
    }
    case 'huge_array': {
      const k = pickKey((_k, v) => Array.isArray(v));
      return { ...e, [k ?? 'items']: Array.from({ length: 10_000 }, () => (k ? (e[k] as unknown[])[0] : 'x')) };
    }
  }
}

/**
 * A schema built the first time it is used instead of when its module loads. zod 4 builds
 * each schema node eagerly (tens of µs each, with its methods bound per instance), and every
 * cloud function imports the policy engine: its table schema alone is ~400 nodes, built at
 * every cold start by functions that never check a table. `lazySchema(() => z.…)` has the
 * schema's own type and forwards every property (`safeParse`, `shape`, `_zod`, …) to the one
 * instance built on first access, so callers, nesting and `z.infer` are unchanged.
 *
 * Only for schemas a trivial call does not need; a schema every call parses gains nothing.
 * The contracts use it too (issue 15, cold start): their reply schemas are parsed only by the
 * client and the tests, and each function's request union is built at its first call, so a
 * bundle that imports another function's contract for one shared piece (staffAdmin:
 * staffCash's cash summary) never builds that function's union. Bundled into the mini-program
 * with the contracts (config/index.ts compiles it for old phones).
 * No Node imports, like the rest of the engine.
 */
export function lazySchema<T extends object>(build: () => T): T {
  let built: T | undefined;
  const real = (): T => (built ??= build());
  const schema = new Proxy({} as T, {
    get: (_target, key) => Reflect.get(real(), key),
    has: (_target, key) => Reflect.has(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
  builders.set(schema, build);
  return schema;
}

const builders = new WeakMap<object, () => object>();

/**
 * A new instance from a lazy schema's builder, for tests: a mutation tool's per-test coverage
 * sees the schema's code run by each test that builds it, not only by the first (the cached
 * instance is built once per module load). Reloading the modules instead would also re-run
 * every table and constant inside the test and count them as covered by it.
 */
export function buildFresh<T extends object>(schema: T): T {
  const build = builders.get(schema);
  if (!build) throw new Error('not a lazy schema');
  return build() as T;
}

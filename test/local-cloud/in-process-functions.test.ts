/**
 * The local cloud's in-process mode (functions/pool.ts InProcess), which only the mutation runs
 * use (test/mutation/in-process-functions.js): a function is loaded once per cold start and kept
 * while the cold start stays the same. Mutation scores rest on it: loaded once per local cloud, a
 * module's top level counted as covered by the first test alone and its mutants were run against
 * that test only (sweeper.ts's ACTOR "survived" the tests that kill it).
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import type { InProcessLoader } from '../../cloudfunctions/local-cloud/functions/pool';
import { login, post, startFixtureCloud } from './helpers';

describe('functions run in process (mutation testing only)', () => {
  let lc: LocalCloud;
  let token: string;
  let coldStart = 'first test';
  const loads: string[] = [];
  const loader: InProcessLoader = Object.assign(
    (name: string) => {
      loads.push(name);
      const instance = loads.length;
      // What a worker holds: its own module state, and the invocation's environment.
      return { main: async (event: unknown) => ({ instance, echo: (event as { echo?: string }).echo ?? null, hasKeys: /^[0-9a-f]{64}$/.test(process.env.ID_HMAC_KEY ?? '') }) };
    },
    { coldStartKey: () => coldStart },
  );

  beforeAll(async () => {
    lc = await startFixtureCloud('in-process', { loadFunctionInProcess: loader });
    token = (await login(lc.url, 'in_process_user')).token;
  });
  afterAll(() => lc?.close());

  const call = async (fn: string, echo: string) => (await post(lc.url, `/api/functions/${fn}`, { echo }, token)).body.result;

  test('a function is loaded once per cold start, each function on its own, and runs with the worker environment', async () => {
    expect(await call('whoami', 'a')).toEqual({ instance: 1, echo: 'a', hasKeys: true });
    expect(await call('whoami', 'b')).toEqual({ instance: 1, echo: 'b', hasKeys: true });
    expect(await call('notify', 'c')).toEqual({ instance: 2, echo: 'c', hasKeys: true });
    expect(loads).toEqual(['whoami', 'notify']);

    coldStart = 'second test';
    expect(await call('whoami', 'd')).toEqual({ instance: 3, echo: 'd', hasKeys: true });
    expect(await call('whoami', 'e')).toEqual({ instance: 3, echo: 'e', hasKeys: true });
    expect(loads).toEqual(['whoami', 'notify', 'whoami']);
  });
});

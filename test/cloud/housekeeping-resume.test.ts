/**
 * The `housekeeping` retention sweep resumes where a run stopped: with batches of 1 file and a
 * 1 ms time guard, each run deletes one batch and stops, the next continues, the last finds
 * nothing left. Its own file: the server-side SDK is initialised once per process.
 */
import { buildFunction } from '../../cloudfunctions/build';
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { adult, attachPhoto, CONSENT, makeId, signIn, startCloud, verify } from './helpers';

process.env.TENCENTCLOUD = 'true';
process.env.SILENCE = 'true';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sdk: any = require('wx-server-sdk');

jest.setTimeout(120_000);
const PASSWORD = 'Local@2023';
const TIMER = { Type: 'Timer', TriggerName: 'nightly', Time: '2023-11-07T18:30:00Z', Message: '' };

async function runHousekeeping() {
  const r = await sdk.callFunction({ name: 'housekeeping', data: TIMER });
  return r.result as { ok: boolean; data?: any; error?: { code: string } };
}

async function resident(cloud: LocalCloud, account: string) {
  const r = await signIn(cloud.url, account);
  await r.data('resident', CONSENT);
  return r;
}

beforeAll(async () => {
  await buildFunction('housekeeping');
});

describe('the retention sweep resumes where a run stopped (batches of 1, a 1 ms guard)', () => {
  let cloud: LocalCloud;
  afterAll(async () => cloud?.close());

  test('each run deletes at least one batch and stops at its guard; the next continues; the last finds nothing', async () => {
    cloud = await startCloud('2023-10-08T10:00:00+08:00', { HOUSEKEEPING_BUDGET_MS: '1', HOUSEKEEPING_BATCH_SIZE: '1' });
    sdk.init({ env: 'local', serviceUrl: `${cloud.url}/admin`, secretId: 'local', secretKey: cloud.localToken, timeout: 90_000 });
    const city = await signIn(cloud.url, 'city_center', PASSWORD);
    const r = await resident(cloud, 'sweep');
    const m = await verify(r, adult('史伟', makeId('340104', '1975-11-11', 135)));
    const docs = [await attachPhoto(r, m.personId, 'id_card_front'), await attachPhoto(r, m.personId, 'id_card_back')];
    await city.data('staffDocuments', { action: 'approveMany', documentIds: docs });
    cloud.clock.set(new Date('2023-11-08T10:30:00+08:00'));
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push((await runHousekeeping()).data);
    expect(runs.map((x) => [x.deleted, x.complete])).toEqual([
      [1, false],
      [1, false],
      [0, true],
    ]);
    expect(cloud.store.all('documents').filter((d: any) => d.fileDeleted)).toHaveLength(2);
  });
});


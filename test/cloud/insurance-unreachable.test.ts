/**
 * The insurance platform unreachable: the export job is retried by the jobs framework (not failed
 * at the first error), fails after three attempts in a row, and then does not hold up the next
 * export, which takes the failed batch's rows again (the batch reads 报送失败).
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { buildFunction } from '../../cloudfunctions/build';
import { CONSENT, makeId, payFor, signIn, startCloud, verify } from './helpers';

jest.setTimeout(180_000);
let cloud: LocalCloud;

beforeAll(async () => {
  for (const name of ['staffInsurance', 'jobs']) await buildFunction(name);
  // Port 9 (discard) on loopback: nothing listens, every request fails at once.
  cloud = await startCloud('2023-10-09T17:30:00+08:00', { INSURANCE_API_BASE: 'http://127.0.0.1:9/insurance' });
});
afterAll(async () => cloud?.close());

test('retried, then failed after three attempts, and the next export is not held up', async () => {
  const r = await signIn(cloud.url, 'ins_far');
  await r.data('resident', CONSENT);
  const m = await verify(r, { name: '周远', idNumber: makeId('340104', '1972-02-02', 319), communityId: 'org-c-340104-anjuyuan' });
  await payFor(cloud.url, r, [{ personId: m.personId, benefitYear: 2024 }]);
  const city = await signIn(cloud.url, 'city_center', 'Local@2023');

  let job = await city.data('staffInsurance', { action: 'startExport' });
  expect(job).toMatchObject({ status: 'running', phase: 'submit' });
  job = await city.data('staffInsurance', { action: 'job', jobId: job.jobId });
  expect(job.status).toBe('running');
  job = await city.data('staffInsurance', { action: 'job', jobId: job.jobId });
  expect(job).toMatchObject({ status: 'failed', error: { code: 'INTERNAL' } });

  const again = await city.data('staffInsurance', { action: 'startExport' });
  expect(again.jobId).not.toBe(job.jobId);
  // 周远 is in the new batch at once, not after the waiting days.
  expect((cloud.store.getById('enrollments', `${m.personId}_2024`) as any).sync).toMatchObject({ batchNo: 'YB2023100902', attempts: 2 });
  const overview = await city.data('staffInsurance', { action: 'overview' });
  expect(overview.batches.map((b: any) => `${b.batchNo}:${b.state}`)).toContain('YB2023100901:failed');

  expect(await city.call('staffInsurance', { action: 'fetchAnswers' })).toMatchObject({ ok: true, data: { jobs: [] } });
});

/**
 * A roster import the page left half-way (one step per call: ROSTER_CALL_BUDGET_MS=1) is finished
 * by the `jobs` timer, with the same report and entries as an import followed to its end; the
 * timer knows the kind (jobs/all-kinds.ts). Its own file: the server-side SDK is initialised once
 * per process.
 */
import { buildFunction } from '../../cloudfunctions/build';
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { makeId, signIn, startCloud, upload } from './helpers';

process.env.TENCENTCLOUD = 'true';
process.env.SILENCE = 'true';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sdk: any = require('wx-server-sdk');

jest.setTimeout(240_000);
const TIMER = { Type: 'Timer', TriggerName: 'minute', Time: '2023-10-08T02:00:00Z', Message: '' };

/** 1,200 students in 4 faculties: 3 staged blocks, 7 steps (stage, 3 checks, 3 writes). */
function roster(): Buffer {
  const lines = ['学号,姓名,身份证号码,院系,年级,是否新生'];
  for (let i = 0; i < 1200; i++) lines.push(`R${20230000 + i},学生${String.fromCharCode(0x4e00 + (i % 300))}${String.fromCharCode(0x4e8c + Math.floor(i / 300))},${makeId('320102', `2005-0${1 + Math.floor(i / 200)}-20`, i % 200)},学院${i % 4},2023级,${i % 3 ? '否' : '是'}`);
  return Buffer.from('\ufeff' + lines.join('\r\n') + '\r\n');
}

beforeAll(async () => {
  for (const name of ['staffRoster', 'jobs']) await buildFunction(name);
});

test('an import left after its first step is finished by the jobs timer, as if followed to the end', async () => {
  const cloud: LocalCloud = await startCloud('2023-10-08T10:00:00+08:00', { ROSTER_CALL_BUDGET_MS: '1' });
  try {
    sdk.init({ env: 'local', serviceUrl: `${cloud.url}/admin`, secretId: 'local', secretKey: cloud.localToken, timeout: 90_000 });
    const hfut = await signIn(cloud.url, 'hfut_staff', 'Local@2023');
    const ticket = await hfut.data('staffRoster', { action: 'uploadTicket', ext: 'csv' });
    const fileID = await upload(cloud.url, hfut.token, ticket.cloudPath, roster(), 'big.csv');
    const started = await hfut.data('staffRoster', { action: 'importRoster', benefitYear: 2024, fileID, fileName: 'big.csv' });
    expect(started.status).toBe('running');
    expect(started.phase).toBe('check');
    expect(cloud.store.all('roster_entries')).toHaveLength(0);

    // The page is closed: nobody polls. The timer runs until the job is done.
    let runs = 0;
    for (; runs < 20; runs++) {
      const r = (await sdk.callFunction({ name: 'jobs', data: TIMER })).result;
      expect(r.ok).toBe(true);
      expect(r.data.kinds).toContain('roster_import');
      const job = (cloud.store.all('jobs') as any[]).find((j) => j._id === started.jobId);
      if (job.status !== 'running') break;
    }
    const done = await hfut.data('staffRoster', { action: 'importStatus', jobId: started.jobId });
    expect(done.status).toBe('done');
    expect(done.report).toMatchObject({ imported: true, rows: 1200, accepted: 1200, newEntries: 1200, alreadyListed: 0, faculties: 4, errorCount: 0 });
    expect(cloud.store.all('roster_entries')).toHaveLength(1200);
    expect(cloud.store.all('job_rows').filter((b: any) => b.jobId === started.jobId)).toHaveLength(0);
    const p = await hfut.data('staffRoster', { action: 'progress', benefitYear: 2024 });
    expect(p.groups.map((g: any) => g.total)).toEqual([300, 300, 300, 300]);
  } finally {
    await cloud.close();
  }
});

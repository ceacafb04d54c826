/**
 * A job killed mid-way resumes to the same result (issue 12). A 1,500-row 蜀山区 list is imported
 * twice from the same bytes with the same keys: once uninterrupted, once in a local cloud running
 * in its own process with one step per call (LISTS_CALL_BUDGET_MS=1), killed with SIGKILL (its
 * whole process group, function workers included) while a step is running, started again on the
 * same data folder five minutes later (the dead invocation's lease has expired), and finished by
 * the `jobs` timer. Report, list entries, persons, enrollments, mobilization entries and audit
 * entries are the same; no staged rows are left. On top of whatever the kill interrupted, the
 * cursor is moved back one step before resuming (a step whose writes landed but whose cursor
 * save was lost) and that step's audit entries and progress counts are taken away (the crash
 * landed after its enrollments), so the repeat of a written step is exercised every run. Its own file: the server-side SDK is
 * initialised once per process.
 */
import { ChildProcess, spawn } from 'child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildFunction } from '../../cloudfunctions/build';
import { decodeLine } from '../../cloudfunctions/local-cloud/database/journal';
import { startLocalCloud, type LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { counterId } from '../../cloudfunctions/src/domain/season/counters';
import { generatedCsv } from '../fixtures/lists/generate';
import { signIn, startCloud } from './helpers';
import { importSheet, uploadSheet } from './lists-helpers';

process.env.TENCENTCLOUD = 'true';
process.env.SILENCE = 'true';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sdk: any = require('wx-server-sdk');

jest.setTimeout(300_000);
const PASSWORD = 'Local@2023';
const ROWS = 1_500;
const TIMER = { Type: 'Timer', TriggerName: 'resume', Time: '2023-10-09T02:05:00Z', Message: '' };

/** What an import leaves behind, without timestamps. */
function snapshot(store: LocalCloud['store']) {
  const persons = store.all('persons') as any[];
  const hashOf = new Map(persons.map((p) => [p._id, p.idHash]));
  const sorted = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();
  return {
    lists: sorted((store.all('assistance_lists') as any[]).map((a) => [a._id, a.idHash, a.category, a.jobId, a.communityId, a.late])),
    persons: sorted(persons.map((p) => [p.idHash, p.name, p.createdBy, p.community?.id ?? null])),
    enrollments: sorted((store.all('enrollments') as any[]).map((e) => [hashOf.get(e.personId), e.status, e.amountFen, e.assistedByJob])),
    mobilization: sorted((store.all('assistance_mobilization') as any[]).map((m) => [m._id, m.payableFen, m.township, m.communityName, m.jobId])),
    // Person ids are made at insert (they differ between the runs): entries by whose they are.
    audit: sorted((store.all('audit_log') as any[]).filter((a) => a.entity === 'enrollment' || a.entity === 'person').map((a) => [a.entity, a.to, hashOf.get(String(a.entityId).replace(/_\d{4}$/, ''))])),
    // The progress table's counters (issue 13): one per enrolled person, whatever was repeated.
    counted: (store.all('progress_counters') as any[]).reduce((n, c) => n + c.count, 0),
    marks: store.all('progress_marks').length,
    staged: store.all('job_rows').length,
  };
}

function launch(dataDir: string, now: string, env: Record<string, string>): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx'), [join(__dirname, 'support', 'cloud-process.ts'), dataDir, now, JSON.stringify(env)], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (b) => {
      out += String(b);
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve({ proc, url: line.trim() });
    });
    proc.once('exit', (code) => reject(new Error(`local cloud exited ${code}`)));
  });
}

function killGroup(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    proc.removeAllListeners('exit');
    proc.once('exit', () => resolve());
    process.kill(-proc.pid!, 'SIGKILL');
  });
}

beforeAll(async () => {
  for (const name of ['staffLists', 'jobs']) await buildFunction(name);
});

test('an import killed with SIGKILL mid-way and resumed by the jobs timer ends exactly as an uninterrupted one', async () => {
  const bytes = generatedCsv(ROWS);

  // 1. Uninterrupted.
  const a = await startCloud('2023-10-09T10:00:00+08:00');
  let expected: ReturnType<typeof snapshot>;
  let expectedReport: any;
  try {
    const district = await signIn(a.url, 'sq_district', PASSWORD);
    const { job } = await importSheet(district, bytes, 'csv');
    expect(job.status).toBe('done');
    expectedReport = job.report;
    expected = snapshot(a.store);
  } finally {
    await a.close();
  }
  expect(expectedReport.results).toMatchObject({ listed: ROWS, autoEnrolled: ROWS / 10, personsCreated: ROWS / 10, mobilization: (ROWS * 9) / 10 });

  // 2. The same keys in a fresh data folder, one step per call, killed during a step.
  const dataDir = mkdtempSync(join(tmpdir(), 'jobs-resume-'));
  copyFileSync(join(a.dataDir, 'keys.json'), join(dataDir, 'keys.json'));
  let { proc, url } = await launch(dataDir, '2023-10-09T10:00:00+08:00', { LISTS_CALL_BUDGET_MS: '1' });
  let jobId: string;
  try {
    const district = await signIn(url, 'sq_district', PASSWORD);
    const fileID = await uploadSheet(district, bytes, 'csv');
    let job = await district.data('staffLists', { action: 'startImport', fileID, fileName: '名单.csv', benefitYear: 2024 });
    jobId = job.jobId;
    expect(job).toMatchObject({ status: 'running', phase: 'apply', progress: { done: 0, total: ROWS } });
    for (let i = 0; i < 6; i++) job = await district.data('staffLists', { action: 'jobStatus', jobId });
    expect(job.progress.done).toBe(600);
    // A poll in flight (its step writing) when the whole cloud dies.
    void district.call('staffLists', { action: 'jobStatus', jobId }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 60));
  } finally {
    await killGroup(proc);
  }

  // The job as saved by the step before the last one, read from the journal the killed cloud left
  // (every version of a document is a line until the next start compacts it).
  const versions = readFileSync(join(dataDir, 'db', 'journal.log'), 'utf8')
    .split('\n')
    .map((line) => decodeLine(line))
    .filter(Boolean)
    .flatMap((r: any) => (r.op === 'batch' ? r.ops : [r]))
    .filter((r: any) => r.op === 'put' && r.c === 'jobs' && r.d._id === jobId! && r.d.cursor)
    .map((r: any) => r.d);
  const saves = versions.filter((d: any, i: number) => i === 0 || JSON.stringify(d.cursor) !== JSON.stringify(versions[i - 1].cursor));
  const previousStep = saves[saves.length - 2];
  // What the last saved step wrote after its enrollments: audit entries and progress marks, from the
  // journal lines after the previous step's cursor save. Removed below, so the repeated step meets
  // the window where enrollments landed and their audit entries and counters did not.
  const records = readFileSync(join(dataDir, 'db', 'journal.log'), 'utf8')
    .split('\n')
    .map((line) => decodeLine(line))
    .filter(Boolean)
    .flatMap((r: any) => (r.op === 'batch' ? r.ops : [r]));
  const savedAt = records.findIndex((r: any) => r.op === 'put' && r.c === 'jobs' && r.d._id === jobId! && JSON.stringify(r.d.cursor) === JSON.stringify(previousStep.cursor));
  const after = records.slice(savedAt + 1).filter((r: any) => r.op === 'put');
  const lastStepAudit = [...new Set(after.filter((r: any) => r.c === 'audit_log' && /^(enrollment_assisted|person_from_list)_/.test(r.d._id)).map((r: any) => r.d._id as string))];
  const lastStepMarks = new Map(after.filter((r: any) => r.c === 'progress_marks').map((r: any) => [r.d._id as string, r.d]));
  expect(savedAt).toBeGreaterThan(0);

  // 3. Started again five minutes later: the dead step's lease (90 s) has expired; the timer resumes.
  ({ proc, url } = await launch(dataDir, '2023-10-09T10:05:00+08:00', {}));
  let report: any;
  try {
    const keys = JSON.parse(readFileSync(join(dataDir, 'keys.json'), 'utf8'));
    sdk.init({ env: 'local', serviceUrl: `${url}/admin`, secretId: 'local', secretKey: keys.localToken ?? 'local', timeout: 90_000 });
    const district = await signIn(url, 'sq_district', PASSWORD);
    // Whatever the kill interrupted, also play the worst window for certain: the last step's
    // writes landed but its cursor was not saved (the cursor is moved back one step), so that
    // step runs again and must neither write nor count anything twice.
    const db = sdk.database();
    const stored = (await db.collection('jobs').doc(jobId!).get()).data;
    expect(stored).toMatchObject({ status: 'running', phase: 'apply' });
    expect(stored.progress.done).toBeGreaterThanOrEqual(600);
    expect(stored.progress.done).toBeLessThan(ROWS);
    expect(previousStep.progress.done).toBe(stored.progress.done - 100);
    await db.collection('jobs').doc(jobId!).update({ data: { cursor: db.command.set(previousStep.cursor), progress: db.command.set(previousStep.progress) } });
    expect(lastStepAudit.length).toBeGreaterThan(0);
    for (const id of lastStepAudit) await db.collection('audit_log').doc(id).remove();
    for (const [id, mark] of lastStepMarks) {
      await db.collection('progress_marks').doc(id).remove();
      await db.collection('progress_counters').doc(counterId(mark.benefitYear, mark.area, mark.shard)).update({ data: { count: db.command.inc(-1) } });
    }
    let runs = 0;
    for (; runs < 10; runs++) {
      const r = (await sdk.callFunction({ name: 'jobs', data: TIMER })).result;
      expect(r.ok).toBe(true);
      if (r.data.advanced === 0) break;
    }
    const job = await district.data('staffLists', { action: 'jobStatus', jobId: jobId! });
    expect(job.status).toBe('done');
    report = job.report;
  } finally {
    await new Promise<void>((resolve) => {
      proc.removeAllListeners('exit');
      proc.once('exit', () => resolve());
      process.kill(-proc.pid!, 'SIGTERM');
    });
  }
  const reopened = await startLocalCloud({ port: 0, dataDir, quiet: true });
  try {
    expect(report.results).toEqual(expectedReport.results);
    expect({ ...report, timing: undefined }).toEqual({ ...expectedReport, timing: undefined });
    expect(report.timing).toEqual(expectedReport.timing);
    const got = snapshot(reopened.store);
    expect(got.staged).toBe(0);
    expect(got).toEqual(expected);
  } finally {
    await reopened.close();
  }
});

/**
 * The 50,000-row assisted-people list import (issue 12), end to end against the local cloud:
 *   npx tsx test/bench/list-import-50k.ts [rows]
 * A 蜀山区 district officer uploads a generated csv (test/fixtures/lists/generate.ts: 10% 特困, the
 * rest partially assisted) and polls staffLists.jobStatus until the job is done, exactly as the
 * staff page does; every call is a real function invocation through the gateway and the real
 * wx-server-sdk (parse once into staged encrypted blocks, then 100 rows per step). Prints the
 * wall time of each phase and the totals. Not in the unit tests: it takes minutes.
 */
import { performance } from 'perf_hooks';
import { buildFunction } from '../../cloudfunctions/build';
import { generatedCsv } from '../fixtures/lists/generate';
import { signIn, startCloud } from '../cloud/helpers';
import { uploadSheet } from '../cloud/lists-helpers';

async function main() {
  const rows = Number(process.argv[2] ?? 50_000);
  for (const name of ['staffLists', 'jobs']) await buildFunction(name);
  const cloud = await startCloud('2023-10-09T10:00:00+08:00');
  try {
    const district = await signIn(cloud.url, 'sq_district', 'Local@2023');
    const bytes = generatedCsv(rows);
    const t0 = performance.now();
    const fileID = await uploadSheet(district, bytes, 'csv');
    const t1 = performance.now();
    let job = await district.data('staffLists', { action: 'startImport', fileID, fileName: 'bench.csv', benefitYear: 2024 });
    const t2 = performance.now();
    let calls = 1;
    let lastLog = t2;
    while (job.status === 'running') {
      job = await district.data('staffLists', { action: 'jobStatus', jobId: job.jobId });
      calls++;
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        console.log(`  … ${job.progress.done}/${job.progress.total} rows after ${((lastLog - t0) / 1000).toFixed(0)} s`);
      }
    }
    const t3 = performance.now();
    if (job.status !== 'done' || job.report.outcome !== 'imported') throw new Error(`import did not finish: ${JSON.stringify(job.error ?? job.report?.fileErrors)}`);
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`list import: ${rows} rows, csv ${(bytes.length / 1024 / 1024).toFixed(1)} MB`);
    console.log(`  upload ${s(t1 - t0)}; start (download, parse, validate, stage ${Math.ceil(rows / 500)} blocks) ${s(t2 - t1)}; apply ${s(t3 - t2)} in ${calls} calls`);
    console.log(`  total ${s(t3 - t0)} (${Math.round(rows / ((t3 - t0) / 1000))} rows/s)`);
    console.log(`  results ${JSON.stringify(job.report.results)}`);
    console.log(`  documents: assistance_lists ${cloud.store.all('assistance_lists').length}, persons ${cloud.store.all('persons').length}, enrollments ${cloud.store.all('enrollments').length}, mobilization ${cloud.store.all('assistance_mobilization').length}, staged left ${cloud.store.all('job_rows').length}`);
  } finally {
    await cloud.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

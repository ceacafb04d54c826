/**
 * After the reliability suite: the personal-data scan (pii-scan.ts) over every data folder and
 * log the parts registered. Prints what it read and the leaks found; any leak fails the run.
 */
import { appendFileSync } from 'fs';
import { scanAll } from './pii-scan';
import { figure, registeredForScan } from './support';

export default async function globalTeardown(): Promise<void> {
  const entries = registeredForScan();
  const { leaks, files, lines, documents } = scanAll(entries);
  figure('personal data', 'data folders scanned', entries.length);
  figure('personal data', 'documents (every collection, storage metadata)', documents);
  figure('personal data', 'store and journal files + log files read', files);
  figure('personal data', 'log lines read', lines);
  figure('personal data', 'ID numbers checked for rebuilding', entries.reduce((n, e) => n + (e.knownIds?.length ?? 0), 0));
  figure('personal data', 'leaks found', leaks.length);
  for (const l of leaks.slice(0, 20)) process.stdout.write(`[reliability] LEAK ${l.kind} ${l.sample} in ${l.where}\n`);
  // The scan runs after the reporters counted the tests: a failed scan is one failed test more
  // in $TEST_SUMMARY_FILE (.ci/run's total), as well as the run's exit code.
  if ((entries.length === 0 || leaks.length > 0) && process.env.TEST_SUMMARY_FILE) appendFileSync(process.env.TEST_SUMMARY_FILE, '0 1 0\n');
  if (entries.length === 0) throw new Error('personal-data scan: no part registered a data folder');
  if (leaks.length > 0) throw new Error(`personal-data scan: ${leaks.length} leak(s) found`);
}

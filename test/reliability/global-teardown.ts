/**
 * After the reliability suite: the personal-data scan (pii-scan.ts) over every data folder and
 * log the parts registered. Prints what it read and the leaks found; any leak fails the run.
 */
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
  if (entries.length === 0) throw new Error('personal-data scan: no part registered a data folder');
  if (leaks.length > 0) throw new Error(`personal-data scan: ${leaks.length} leak(s) found`);
}

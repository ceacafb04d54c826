/**
 * `npm run bench`: the performance budgets, measured (never asserted in unit tests).
 * Prints one line per benchmark: name, operations, time, rate, budget, verdict.
 * Exits 1 when a budget is missed, so a regression is visible in CI logs when run there.
 */
import { performance } from 'perf_hooks';
import { idCheckCharacter, parseIdNumber, quote } from '../../cloudfunctions/src/policy';

interface Result {
  name: string;
  ops: number;
  ms: number;
  budget: string;
  ok: boolean;
}

function timeIt(ops: number, work: (i: number) => void): number {
  for (let i = 0; i < Math.min(ops, 1000); i++) work(i); // warm-up
  const start = performance.now();
  for (let i = 0; i < ops; i++) work(i);
  return performance.now() - start;
}

function idFor(i: number): string {
  const districts = ['340102', '340103', '340104', '340111', '340121', '340122', '340123', '340124', '340181'];
  const year = 1940 + (i % 80);
  const body = `${districts[i % districts.length]}${year}0${1 + (i % 9)}1${i % 10}${String(i % 1000).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}

const results: Result[] = [];

// A district of ~1 million people re-quoted in a batch job: budget 50 µs per quote.
{
  const ops = 200_000;
  const ids = Array.from({ length: 1000 }, (_, i) => idFor(i));
  const assistance = [[], ['dibao'], ['fanpin', 'fanpin_monitored'], ['tekun']] as const;
  const ms = timeIt(ops, (i) => {
    quote({ benefitYear: 2024, asOf: '2023-10-08', person: { idNumber: ids[i % ids.length], hukou: 'local', assistance: [...assistance[i % 4]] } });
  });
  results.push({ name: 'policy quote (2024, mixed assistance)', ops, ms, budget: '≤ 50 µs/op', ok: (ms * 1000) / ops <= 50 });
}

// Parsing ID numbers in list imports: budget 5 µs per number.
{
  const ops = 500_000;
  const ids = Array.from({ length: 1000 }, (_, i) => idFor(i));
  const ms = timeIt(ops, (i) => {
    parseIdNumber(ids[i % ids.length]);
  });
  results.push({ name: 'ID number parse + check character', ops, ms, budget: '≤ 5 µs/op', ok: (ms * 1000) / ops <= 5 });
}

let failed = 0;
for (const r of results) {
  const perOp = (r.ms * 1000) / r.ops;
  if (!r.ok) failed++;
  console.log(
    `${r.name.padEnd(42)} ${String(r.ops).padStart(8)} ops  ${r.ms.toFixed(0).padStart(6)} ms  ${perOp.toFixed(2).padStart(7)} µs/op  budget ${r.budget}  ${r.ok ? 'ok' : 'MISSED'}`,
  );
}
process.exit(failed ? 1 : 0);

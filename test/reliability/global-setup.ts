/**
 * Before the reliability suite: a fresh output folder (figures, scan registry) and every function
 * bundled once into it, as `npm run build:cloud` would (the parts' local clouds run these).
 */
import { mkdirSync, rmSync } from 'fs';
import { join } from 'path';
import { buildFunction, functionNames } from '../../cloudfunctions/build';
import { FUNCTIONS_DIR, MONEY_FUNCTIONS, OUT, raiseTimeouts } from './support';

export default async function globalSetup(): Promise<void> {
  for (const f of ['figures.jsonl', 'scan.jsonl']) rmSync(join(OUT, f), { force: true });
  rmSync(join(OUT, 'data'), { recursive: true, force: true });
  mkdirSync(FUNCTIONS_DIR, { recursive: true });
  const started = Date.now();
  // The parts' child clouds run the resident side's functions (the matrix builds its own into deploy/).
  // and the money parts' sweeper and staff functions: bundled here once, not by each part (two
  // workers writing the same bundle at once could hand a cloud a half-written file).
  const names = functionNames().filter((n) => ['resident', 'payment', 'payCallback', ...MONEY_FUNCTIONS].includes(n));
  for (const name of names) await buildFunction(name, FUNCTIONS_DIR);
  raiseTimeouts(names);
  process.stdout.write(`\n[reliability] setup: ${names.length} functions bundled in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

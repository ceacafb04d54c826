/**
 * Access (issue 14): the staff authorization matrix is the table of test/cloud/staff-authorization-
 * matrix.ts, run by test/cloud/staff-authorization-matrix.test.ts in `npm test` (948 cases, ~3 min
 * here, so not twice). Here: its size, printed, and a check that it covers the staff functions.
 * The residents' side (issue 16): the household-access table (test/cloud/household-access.ts) run
 * again against the suite's own cloud process, on the bundles the suite deploys.
 */
import { breaches, HOUSEHOLD_ACCESS_TABLE, runHouseholdAccess, setUpHouseholds } from '../cloud/household-access';
import { ROLES, STAFF_MATRIX } from '../cloud/staff-authorization-matrix';
import { figure, newDataDir, registerForScan, startChildCloud, stopCleanly } from './support';

test('the staff authorization matrix: every staff function × action × role × scope, plus a resident and an anonymous caller', () => {
  const cellsPerRow = ROLES.length * 2 + 2; // each role in and out of scope, a resident, an anonymous caller
  const functions = new Set(STAFF_MATRIX.map((r) => r.fn));
  figure('access', 'staff functions', functions.size);
  figure('access', 'function × action rows', STAFF_MATRIX.length);
  figure('access', 'roles × scope sides per row (+ resident, anonymous)', `${ROLES.length} × 2 + 2 = ${cellsPerRow}`);
  figure('access', 'matrix size (cases run by staff-authorization-matrix.test.ts)', STAFF_MATRIX.length * cellsPerRow);
  expect(STAFF_MATRIX.length).toBeGreaterThan(0);
  expect(functions.size).toBeGreaterThanOrEqual(8);
});

test('another household and an unconsented resident, on every resident action that takes an id: refused, nothing learnt, nothing written', async () => {
  const cloud = await startChildCloud(newDataDir('household-access'), { now: '2023-10-08T10:00:00+08:00' });
  try {
    const households = await setUpHouseholds(cloud.url, 'reliability');
    registerForScan({ dataDir: cloud.dataDir, logs: [cloud.log], knownIds: households.secrets.filter((s) => /^\d{17}[\dX]$/.test(s)), today: '2023-10-08' });
    const outcomes = await runHouseholdAccess(households, cloud.dataDir);
    const found = breaches(outcomes);
    figure('access', 'resident actions tried with another household\u2019s ids and without consent', HOUSEHOLD_ACCESS_TABLE.length);
    figure('access', 'calls (other household, no consent, owner control)', outcomes.length);
    figure('access', 'breaches', found.length);
    expect(outcomes).toHaveLength(HOUSEHOLD_ACCESS_TABLE.length * 3);
    expect(found).toEqual([]);
  } finally {
    await stopCleanly(cloud.proc);
  }
}, 300_000);

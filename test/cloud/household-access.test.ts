/**
 * Another household's ids, and no consent, on every resident action that takes an id (issue 16):
 * the table of household-access.ts, run against the local cloud. The reliability suite runs the
 * same table against its own cloud process (test/reliability/access.test.ts).
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { startCloud } from './helpers';
import { breaches, HOUSEHOLD_ACCESS_TABLE, runHouseholdAccess, setUpHouseholds, uncoveredActions, type Outcome } from './household-access';

jest.setTimeout(180_000);

let cloud: LocalCloud;
let outcomes: Outcome[];

beforeAll(async () => {
  cloud = await startCloud('2023-10-08T10:00:00+08:00');
  const households = await setUpHouseholds(cloud.url, 'cloud');
  outcomes = await runHouseholdAccess(households, cloud.dataDir);
});

afterAll(async () => {
  await cloud?.close();
});

test('every resident and payment action that takes a person, order or authorization id has a row', () => {
  expect(uncoveredActions()).toEqual([]);
});

test('each row was tried by the other household, the unconsented account and the owner', () => {
  expect(outcomes).toHaveLength(HOUSEHOLD_ACCESS_TABLE.length * 3);
  expect(outcomes.filter((o) => o.caller === 'owner' && o.ok)).toHaveLength(HOUSEHOLD_ACCESS_TABLE.length);
});

test('another household and an unconsented resident are refused on every row, learn nothing and change nothing', () => {
  expect(breaches(outcomes)).toEqual([]);
  // The codes, for the record (a change of code is a reviewed change).
  const codes = Object.fromEntries(outcomes.filter((o) => o.caller === 'other household').map((o) => [o.row, o.code]));
  expect(codes).toMatchSnapshot();
});

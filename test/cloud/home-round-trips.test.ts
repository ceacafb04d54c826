/**
 * The resident's home costs the same number of database round trips for one person as for a
 * family of six with years of history (issue 15's cost budget: it used to read each member's
 * person, documents, enrollment, assistance rows, roster entry and enrollment history one by
 * one — 20 reads for a parent and a child, 39 for a parent and five children). Counted where the
 * real wx-server-sdk's requests arrive at the local cloud, with the bench's counter
 * (test/bench/cost.ts).
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { startLocalCloud, type LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { databaseCounter } from '../bench/cost';
import { addMember, adult, attachPhoto, buildOnce, CONSENT, makeId, payFor, signIn, type Resident } from './helpers';

jest.setTimeout(180_000);

const counter = databaseCounter();
let cloud: LocalCloud;

beforeAll(async () => {
  await buildOnce();
  cloud = await startLocalCloud({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'home-round-trips-')), now: '2023-10-08T10:00:00+08:00', quiet: true, onSdkRequest: counter.onSdkRequest });
});
afterAll(async () => cloud?.close());

/** A verified parent, on an account of its own; returns the account and the parent's person id. */
async function parent(account: string, seq: number): Promise<{ r: Resident; self: string }> {
  const r = await signIn(cloud.url, account);
  await r.data('resident', { ...CONSENT, forChildUnder14: true });
  const added = await addMember(r, adult('张家长', makeId('340104', '1985-04-04', seq)));
  return { r, self: added.personId ?? added.person?.personId };
}

/** Paid enrollments of earlier years, as past seasons left them (written straight to the store). */
function history(personIds: string[], years: number[]): void {
  cloud.store.write(
    personIds.flatMap((personId) =>
      years.map((y) => {
        const _id = `${personId}_${y}`;
        const at = `${y - 1}-10-01T02:00:00.000Z`;
        return { c: 'enrollments', id: _id, doc: { _id, personId, benefitYear: y, status: 'enrolled', outTradeNo: `HIST${y}${personId.slice(0, 8)}`, amountFen: 38000, paidAt: at, expectedSyncBy: null, createdAt: at, updatedAt: at } as any };
      }),
    ),
  );
}

async function homeReads(r: Resident) {
  await r.data('resident', { action: 'home' }); // the worker's first call loads the SDK
  const { result, count } = await counter.measure(() => r.data('resident', { action: 'home' }));
  return { home: result, ...count };
}

test('home: the same round trips for one person as for a family of six with three years paid, two this year and two documents each', async () => {
  const one = await parent('rt_one', 901);
  const small = await homeReads(one.r);
  expect(small.home.persons).toHaveLength(1);
  expect(small.home.persons[0].nextStep.kind).toBe('pay');

  const six = await parent('rt_six', 902);
  const children: string[] = [];
  for (let i = 1; i <= 5; i++) {
    const child = await addMember(six.r, { ...adult(`张${'一二三四五'[i - 1]}`, makeId('340104', `201${i}-03-0${i}`, 910 + i)), relation: 'child', consentForChild: true });
    await attachPhoto(six.r, child.personId, 'id_card_front'); // a second document each
    children.push(child.personId);
  }
  const family = [six.self, ...children];
  history(family, [2021, 2022, 2023]);
  await payFor(cloud.url, six.r, [{ personId: children[0], benefitYear: 2024 }]);
  await payFor(cloud.url, six.r, [{ personId: children[1], benefitYear: 2024 }]);
  const large = await homeReads(six.r);
  expect(large.home.persons).toHaveLength(6);
  expect(large.home.persons.filter((p: any) => p.status === 'paid_pending_sync')).toHaveLength(2);
  expect(large.home.persons.filter((p: any) => p.renewal)).toHaveLength(4); // paid before, not yet this year: 待续缴
  expect(large.home.persons.filter((p: any) => p.relation === 'child').map((p: any) => p.documents.length)).toEqual([2, 2, 2, 2, 2]);

  expect({ reads: large.reads, writes: large.writes, other: large.other }).toEqual({ reads: small.reads, writes: 0, other: 0 });
  // The published policy tables (every invocation), consent, links, declined claims, persons,
  // documents, the year's enrollments, assistance rows, roster entries, paid before (one
  // aggregation), the caller's verification.
  expect(small.reads).toBe(11);

  // Orders awaiting payment: one read for all of them, however many.
  await six.r.data('payment', { action: 'createOrder', items: [{ personId: children[2], benefitYear: 2024 }] });
  await six.r.data('payment', { action: 'createOrder', items: [{ personId: children[3], benefitYear: 2024 }] });
  const pending = await homeReads(six.r);
  expect(pending.home.persons.filter((p: any) => p.status === 'awaiting_payment')).toHaveLength(2);
  expect(pending.reads).toBe(small.reads + 1);
});

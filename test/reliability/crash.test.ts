/**
 * Crashes (issue 14): the local cloud (CLI, a child process) is killed with SIGKILL in the middle
 * of a burst of enrollments — residents verifying (registration), ordering and paying at once —
 * and restarted on the same data folder. Every write a client saw acknowledged is still there,
 * nothing is duplicated (one person per ID number, one link per account and person, one
 * enrollment per person and year, one payment per order), and the residents then finish: each
 * ends paid exactly once.
 */
import { makeId, payFor, Resident, signIn, verify, CONSENT } from '../cloud/helpers';
import { figure, killHard, newDataDir, registerForScan, startChildCloud, stopCleanly, type ChildCloud } from './support';
import { readCollections } from './pii-scan';

const RUNS = Number(process.env.RELIABILITY_CRASH_RUNS ?? 3);
const RESIDENTS = Number(process.env.RELIABILITY_CRASH_RESIDENTS ?? 24);
const NOW = '2023-10-08T10:00:00+08:00';

interface Acked {
  persons: Map<string, string>; // account → personId (verifySelf acknowledged)
  paid: Map<string, string>; // account → outTradeNo (pay sheet acknowledged)
}

const countBy = (rows: any[], key: (r: any) => string) => {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return [...m.values()].filter((n) => n > 1).length;
};

function duplicates(dataDir: string): Record<string, number> {
  const d = readCollections(dataDir);
  return {
    persons: countBy(d.persons ?? [], (p) => p.idHash),
    family_links: countBy(d.family_links ?? [], (l) => `${l.ownerOpenid}|${l.personId}`),
    enrollments: countBy(d.enrollments ?? [], (e) => `${e.personId}|${e.benefitYear}`),
    payments: countBy(d.payments ?? [], (p) => p.outTradeNo ?? p._id),
  };
}

async function enrollOne(url: string, i: number, run: number, acked: Acked): Promise<void> {
  const account = `crash_${run}_${i}`;
  const r = await signIn(url, account);
  await r.data('resident', CONSENT);
  const idNumber = makeId('340104', `19${60 + (i % 39)}-0${1 + (i % 9)}-1${i % 9}`, 100 + i);
  const me = await verify(r, { name: '程' + '一二三四五六七八九十'[i % 10] + '安', idNumber });
  acked.persons.set(account, me.personId);
  const order = await payFor(url, r, [{ personId: me.personId, benefitYear: 2024 }]);
  acked.paid.set(account, order.outTradeNo);
}

jest.setTimeout(900_000);

test(`kill -9 in the middle of enrollments, ${RUNS} runs: no acknowledged write lost, nothing duplicated`, async () => {
  let lost = 0;
  let dups = 0;
  let ackedPersons = 0;
  let ackedPayments = 0;
  let finished = 0;
  let paidAtEnd = 0;
  const timeouts: number[] = [];
  const closeRefusals = new Map<string, number>();
  const knownIds: string[] = [];
  for (let i = 0; i < RESIDENTS; i++) knownIds.push(makeId('340104', `19${60 + (i % 39)}-0${1 + (i % 9)}-1${i % 9}`, 100 + i));
  // One run after the other: three clouds at once on a loaded 2-core machine made every function
  // time out before any kill point was reached (a run that proves nothing).
  const killedAt: number[] = [];
  const oneRun = async (run: number) => {
    const dataDir = newDataDir(`crash-${run}`);
    let cloud: ChildCloud = await startChildCloud(dataDir, { now: NOW });
    registerForScan({ dataDir, logs: [cloud.log], knownIds, today: '2023-10-08' });
    const acked: Acked = { persons: new Map(), paid: new Map() };
    const burst = Array.from({ length: RESIDENTS }, (_x, i) => enrollOne(cloud.url, i, run, acked).catch(() => undefined));
    // The kill comes later each run: a third, then two thirds of the registrations acknowledged,
    // then (last run) a quarter of the payments, with the rest still verifying, ordering, paying.
    const due = run === RUNS && RUNS > 1 ? () => acked.paid.size >= Math.ceil(RESIDENTS / 4) : () => acked.persons.size >= Math.ceil((RESIDENTS * run) / 3);
    const deadline = Date.now() + 120_000;
    while (!due() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    // A kill that proves something: writes of the run's phase acknowledged before it (registrations;
    // last run, payments) and residents still in flight. The deadline only moves the kill earlier
    // on a loaded machine; it must still come in the middle.
    const phaseAcked = run === RUNS && RUNS > 1 ? acked.paid.size : acked.persons.size;
    killedAt.push(phaseAcked > 0 && acked.paid.size < RESIDENTS ? 1 : 0);
    if (!due()) process.stdout.write(`[reliability] crash run ${run}: killed at the deadline, ${phaseAcked} acknowledged\n`);
    await killHard(cloud.proc);
    await Promise.all(burst);
    const persons = new Map(acked.persons);
    const paid = new Map(acked.paid);
    ackedPersons += persons.size;
    ackedPayments += paid.size;

    cloud = await startChildCloud(dataDir);
    const d = readCollections(dataDir);
    for (const personId of persons.values()) if (!(d.persons ?? []).some((p) => p._id === personId)) lost++;
    for (const [, outTradeNo] of paid) {
      const order = (d.orders ?? []).find((o) => o._id === outTradeNo || o.outTradeNo === outTradeNo);
      if (!order || !['paid', 'settled'].includes(order.status)) lost++;
    }
    const dup = duplicates(dataDir);
    dups += Object.values(dup).reduce((a, b) => a + b, 0);

    // The residents finish after the restart: those not paid pay now (the same accounts, retried).
    const after = await Promise.all(
      Array.from({ length: RESIDENTS }, async (_x, i) => {
        const account = `crash_${run}_${i}`;
        if (paid.has(account)) return true;
        const r: Resident = await signIn(cloud.url, account);
        let step = 'consent';
        try {
          await r.data('resident', CONSENT);
          let personId = persons.get(account);
          step = 'home';
          if (!personId) {
            const home = await r.data('resident', { action: 'home' });
            personId = home.persons.find((p: any) => p.relation === 'self')?.personId;
          }
          step = 'verify';
          if (!personId) personId = (await verify(r, { name: '程' + '一二三四五六七八九十'[i % 10] + '安', idNumber: makeId('340104', `19${60 + (i % 39)}-0${1 + (i % 9)}-1${i % 9}`, 100 + i) })).personId;
          const home = await r.data('resident', { action: 'home' });
          const self = home.persons.find((p: any) => p.personId === personId);
          if (self && ['paid_pending_sync', 'enrolled'].includes(self.status)) return true;
          // Their own order from before the kill: what the pay page offers, 取消订单, then pay again.
          if (self?.pendingOutTradeNo) {
            step = 'closeOrder';
            const closed = await r.call('payment', { action: 'closeOrder', outTradeNo: self.pendingOutTradeNo });
            if (!closed.ok) closeRefusals.set(closed.error.code, (closeRefusals.get(closed.error.code) ?? 0) + 1);
          }
          step = 'pay';
          const t0 = Date.now();
          try {
            await payFor(cloud.url, r, [{ personId: personId!, benefitYear: 2024 }]);
          } catch (e) {
            if (/FUNCTION_ERROR/.test((e as Error).message)) timeouts.push(Date.now() - t0);
            // Paid meanwhile: the notification of a payment made before the kill settled it.
            if (/ALREADY_PAID/.test((e as Error).message)) return true;
            throw e;
          }
          return true;
        } catch (e) {
          process.stdout.write(`[reliability] crash run ${run}: ${account} could not finish at ${step}: ${(e as Error).message.slice(0, 120)}\n`);
          return false;
        }
      }),
    );
    finished += after.filter(Boolean).length;
    await stopCleanly(cloud.proc);
    const end = readCollections(dataDir);
    paidAtEnd += new Set((end.enrollments ?? []).filter((e) => e.benefitYear === 2024 && ['paid_pending_sync', 'enrolled'].includes(e.status)).map((e) => e.personId)).size;
    dups += Object.values(duplicates(dataDir)).reduce((a, b) => a + b, 0);
  };
  for (let run = 1; run <= RUNS; run++) await oneRun(run);
  figure('crash', 'kill -9 runs', RUNS);
  figure('crash', 'residents per run (verify, order, pay at once)', RESIDENTS);
  figure('crash', 'acknowledged registrations', ackedPersons);
  figure('crash', 'acknowledged payments', ackedPayments);
  figure('crash', 'acknowledged writes lost', lost);
  figure('crash', 'duplicates (persons, links, enrollments, payments)', dups);
  // Reported, not yet required: a resident whose order was being created at the kill can find
  // createOrder timing out after the restart (money lane, the sweeper's work): see the lead's report.
  figure('crash', 'residents who finished after the restart', `${finished}/${RUNS * RESIDENTS}`);
  figure('crash', 'paid once at the end', `${paidAtEnd}/${RUNS * RESIDENTS}`);
  figure('crash', 'createOrder failing (FUNCTION_ERROR) after the restart', timeouts.length ? `${timeouts.length} (after ~${Math.round(Math.max(...timeouts) / 1000)} s)` : 0);
  figure('crash', 'closeOrder refusals of an order pending at the kill', JSON.stringify(Object.fromEntries(closeRefusals)));
  figure('crash', 'runs killed in the middle (acknowledged writes of the phase, residents in flight)', `${killedAt.reduce((a, b) => a + b, 0)}/${RUNS}`);
  expect(lost).toBe(0);
  expect(dups).toBe(0);
  // Not a crash that proves nothing: every run was killed with acknowledged writes in flight.
  expect(killedAt).toEqual(Array(RUNS).fill(1));
  expect(ackedPersons).toBeGreaterThan(0);
});

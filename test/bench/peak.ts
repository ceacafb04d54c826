/**
 * Peak season (issue 15): CLIENTS concurrent clients, each a distinct resident (signed in,
 * consented, self added with an ID photo beforehand), run quote → payment.createOrder → the pay
 * sheet's confirmation (payCallback) through the local cloud's gateway; ROUNDS residents per client.
 * Figures: requests per second, p50 / p99 latency, database operations per second (counted at the
 * database port), and that rate as a share of the raw rate — the same wx-server-sdk, from this
 * process, against the same local cloud in the same run, CLIENTS concurrent loops of a document
 * read and an update. Zero errors, zero duplicate enrollments or payments. Budget ≥ 50%.
 */
import { mkdtempSync } from 'fs';
import { join } from 'path';
import { buildFunction } from '../../cloudfunctions/build';
import { startLocalCloud } from '../../cloudfunctions/local-cloud/server';
import { attachFront, benchId, member, post, session } from './cost';
import { median, percentile, record } from './report';

const SECTION = 'Peak season';

export async function peakBench(work: string, clients = 50, rounds = 2): Promise<void> {
  const functionsDir = mkdtempSync(join(work, 'peak-functions-'));
  for (const name of ['resident', 'payment', 'payCallback']) await buildFunction(name, functionsDir);
  let dbOps = 0;
  let counting = false;
  const cloud = await startLocalCloud({
    port: 0, dataDir: mkdtempSync(join(work, 'peak-')), now: '2023-10-08T10:00:00+08:00', quiet: true, functionsDir,
    onSdkRequest(action) {
      if (counting && action.startsWith('database.')) dbOps++;
    },
  });
  try {
    // Set-up, not timed: clients × rounds residents, each with themself added and an ID photo.
    const residents: { s: Awaited<ReturnType<typeof session>>; personId: string }[] = [];
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let r = 0; r < rounds; r++) {
          const s = await session(cloud, `bench_peak_${c}_${r}`);
          await s.data('resident', { action: 'acceptConsent', version: '2023-08' });
          const m = await s.data('resident', member(`李${'甲乙丙丁戊己庚辛壬癸'[Math.floor(c / 10) % 10]}${'一二三四五六七八九十'[c % 10]}${'春夏秋冬'[r % 4]}`, benchId(`19${50 + ((c * rounds + r) % 45)}-0${1 + (r % 9)}-1${c % 10}`)));
          await attachFront(cloud, s, m.personId);
          residents.push({ s, personId: m.personId });
        }
      }),
    );
    const latencies: number[] = [];
    let errors = 0;
    const errorKinds = new Set<string>();
    const timed = async <T>(work: () => Promise<T>): Promise<T | null> => {
      const t = performance.now();
      try {
        return await work();
      } catch (err) {
        errors++;
        errorKinds.add(String((err as Error).message).replace(/^bench /, '').slice(0, 120));
        return null;
      } finally {
        latencies.push(performance.now() - t);
      }
    };
    counting = true;
    const start = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < residents.length) {
          const { s, personId } = residents[next++];
          await timed(() => s.data('resident', { action: 'quote', personId, benefitYear: 2024 }));
          const order = await timed(() => s.data('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] }));
          if (!order) continue;
          await timed(async () => {
            const r = await post(cloud, '/api/pay/confirm', { outTradeNo: order.outTradeNo }, s.token);
            if (r.status !== 200 || !r.body.delivery?.ok) throw new Error('confirm');
          });
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    counting = false;
    const peakOps = dbOps / seconds;

    // The raw rate: the same SDK, the same local cloud, clients concurrent loops of read + update.
    process.env.TENCENTCLOUD = 'true';
    process.env.SILENCE = 'true';
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const sdk: any = require('wx-server-sdk');
    const admin = sdk.createNewInstance({ env: 'local', serviceUrl: `${cloud.url}/admin`, secretId: 'local', secretKey: cloud.localToken, timeout: 60_000 });
    const db = admin.database({ throwOnNotFound: false });
    await db.createCollection('bench_raw');
    const col = db.collection('bench_raw');
    for (let i = 0; i < clients; i++) await col.add({ data: { _id: `raw${i}`, n: 0 } });
    const rawOpsTarget = Math.max(1000, dbOps);
    let rawDone = 0;
    const rawStart = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, i) => {
        while (rawDone < rawOpsTarget) {
          rawDone += 2;
          await col.doc(`raw${i}`).get();
          await col.doc(`raw${i}`).update({ data: { n: db.command.inc(1) } });
        }
      }),
    );
    const rawOps = rawDone / ((performance.now() - rawStart) / 1000);

    // Duplicates: one paid order and one enrollment per resident.
    const enrollments = cloud.store.all('enrollments') as { personId: string; benefitYear: number; status: string }[];
    const perPerson = new Map<string, number>();
    for (const e of enrollments) if (e.benefitYear === 2024 && e.status !== 'none') perPerson.set(e.personId, (perPerson.get(e.personId) ?? 0) + 1);
    const duplicates = [...perPerson.values()].filter((n) => n > 1).length;
    const paidOrders = (cloud.store.all('orders') as { status: string }[]).filter((o) => o.status === 'paid').length;
    const how = `${clients} concurrent clients, ${residents.length} distinct residents, quote + createOrder + pay confirmation each, through the gateway (local cloud, worker pool per function), under the shared 2-core machine's load`;
    record({ section: SECTION, name: 'requests per second', value: `${(latencies.length / seconds).toFixed(1)} req/s (${latencies.length} requests in ${seconds.toFixed(1)} s)`, how });
    record({ section: SECTION, name: 'latency p50 / p99', value: `${median(latencies).toFixed(0)} / ${percentile(latencies, 0.99).toFixed(0)} ms`, how });
    record({
      section: SECTION,
      name: 'errors and duplicates',
      value: `${errors} errors${errorKinds.size ? ` (${[...errorKinds].slice(0, 3).join('; ')})` : ''}; ${paidOrders} paid orders for ${residents.length} residents; ${duplicates} people with more than one enrollment`,
      how,
      budget: '0 errors, 0 duplicates',
      ok: errors === 0 && duplicates === 0 && paidOrders === residents.length,
    });
    record({
      section: SECTION,
      name: 'database operations per second vs the raw rate',
      value: `${peakOps.toFixed(0)} ops/s during the peak (${dbOps} ops) vs ${rawOps.toFixed(0)} ops/s raw = ${((peakOps / rawOps) * 100).toFixed(0)}%`,
      how: `database-port requests counted at the local cloud during the timed phase; raw: wx-server-sdk from the bench process, ${clients} concurrent loops of doc().get() + doc().update(), ${rawDone} ops, right after`,
      budget: '≥ 50% of the raw rate',
      ok: peakOps / rawOps >= 0.5,
    });
  } finally {
    await cloud.close();
  }
}

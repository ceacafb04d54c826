/**
 * Shared by the money parts of the reliability suite (money.*.test.ts, run by
 * `npm run test:reliability`): a local cloud for bursts, residents ready to pay, the books check,
 * and the figures (support.ts figure(): printed, and in the suite's final table).
 */
import { startLocalCloud, type LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { adult, CONSENT, makeId, Resident, signIn, verify } from '../cloud/helpers';
import { existsSync } from 'fs';
import { join } from 'path';
import { figure, FUNCTIONS_DIR, MONEY_FUNCTIONS, newDataDir, registerForScan } from './support';

export const TIMER = { Type: 'Timer', TriggerName: 'every5min', Time: '2023-10-08T02:00:00Z', Message: '' };

/**
 * A local cloud for a burst: every function may run for the cloud's maximum of 60 s. In WeChat's
 * cloud each invocation has an instance of its own; here a burst of 100+ shares a few worker
 * processes on a shared machine, so the functions' own timeouts (10–20 s) would measure the
 * machine's load, not the system's correctness. The burst's duration is printed instead.
 */
/** The money functions are bundled once by global-setup.ts (MONEY_FUNCTIONS); kept for the parts' call sites. */
export async function bundleMoneyFunctions(): Promise<void> {
  for (const name of MONEY_FUNCTIONS) if (!existsSync(join(FUNCTIONS_DIR, name, 'index.js'))) throw new Error(`${name} not bundled: run the suite with its config (global-setup.ts)`);
}

export async function startBurstCloud(now: string, part: string): Promise<LocalCloud> {
  await bundleMoneyFunctions();
  const dataDir = newDataDir(part);
  // The functions the suite bundled once (global-setup.ts); the data folder goes to the personal-data scan.
  // 12 workers per function, not the default 4: in WeChat's cloud every invocation of a burst has
  // an instance of its own; with 4, a burst of 200 waited in the local cloud's queue (the suite
  // used ~0.4 of a core while taking minutes) and fewer attempts were truly simultaneous.
  const cloud = await startLocalCloud({ port: 0, dataDir, now, quiet: true, functionsDir: FUNCTIONS_DIR, functionTimeoutMs: 60_000, poolSize: 12 });
  registerForScan({ dataDir, logs: [], today: now.slice(0, 10) });
  return cloud;
}

/** One part's figures, each printed and kept for the suite's final table. */
export function report(part: string, figures: Record<string, number | string>): void {
  for (const [name, value] of Object.entries(figures)) figure(part, name, value);
}

/** Runs `tasks` with at most `width` at once (set-up work; the attempts themselves go all at once). */
export async function inBatches<T>(tasks: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, tasks.length) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= tasks.length) return;
        out[i] = await tasks[i]();
      }
    }),
  );
  return out;
}

/** A distinct Chinese name for the i-th generated person (names take no digits). */
export function chineseName(i: number, surname = '陈'): string {
  const a = '明华强伟芳娜敏静丽军';
  const b = '一二三四五六七八九十';
  const c = '春夏秋冬东南西北中天';
  return `${surname}${a[i % 10]}${b[Math.floor(i / 10) % 10]}${c[Math.floor(i / 100) % 10]}`;
}

/** A resident who consented and verified as a new adult (蜀山区, 安居苑社区 when given). */
export async function readyResident(url: string, account: string, name: string, seq: number, communityId?: string): Promise<{ r: Resident; personId: string; idNumber: string; name: string }> {
  // Set-up, not what is measured: a function that timed out on a loaded machine is tried again
  // with a fresh account and number.
  for (let attempt = 0; ; attempt++) {
    try {
      return await readyOnce(url, attempt ? `${account}_r${attempt}` : account, name, seq + attempt * 500, communityId);
    } catch (err) {
      // …or whose request met a connection the loaded server had just closed (fetch failed: ECONNRESET).
      if (attempt >= 2 || !/gateway 5\d\d|fetch failed/.test(String(err))) throw err;
    }
  }
}

async function readyOnce(url: string, account: string, name: string, seq: number, communityId?: string): Promise<{ r: Resident; personId: string; idNumber: string; name: string }> {
  const r = await signIn(url, account);
  await r.data('resident', CONSENT);
  const idNumber = makeId('340104', `19${60 + (seq % 40)}-0${1 + (seq % 9)}-1${seq % 10}`, seq % 1000);
  const m = await verify(r, adult(name, idNumber, communityId ? { communityId } : {}));
  return { r, personId: m.personId, idNumber, name };
}

interface Doc {
  [k: string]: any;
}

/**
 * The books, from the stored collections: every WeChat Pay payment is either behind an
 * enrollment (each of its people paid by it) or given back for the part that is not; nothing is
 * paid twice without a refund; every refund requested at WeChat Pay has our record.
 */
export function books(all: (c: string) => Doc[]) {
  const payments = all('payments');
  const refunds = all('refunds');
  const enrollments = all('enrollments');
  const orders = new Map(all('orders').map((o) => [o._id, o]));
  const refundedParts = new Set<string>();
  for (const r of refunds) {
    if (r.items.length === 0) for (const i of orders.get(r.outTradeNo)?.items ?? []) refundedParts.add(`${r.outTradeNo}|${i.personId}_${i.benefitYear}`);
    else for (const i of r.items) refundedParts.add(`${r.outTradeNo}|${i.personId}_${i.benefitYear}`);
  }
  let unbacked = 0; // a payment part neither enrolled by it nor refunded
  let duplicates = 0; // a person-year paid by two payments, neither refunded
  const paidBy = new Map<string, string[]>();
  for (const p of payments) {
    for (const i of p.items as Array<{ personId: string; benefitYear: number }>) {
      const key = `${i.personId}_${i.benefitYear}`;
      if (refundedParts.has(`${p.outTradeNo}|${key}`)) continue;
      paidBy.set(key, [...(paidBy.get(key) ?? []), p.outTradeNo]);
      const e = enrollments.find((x) => x._id === key);
      if (!e || e.outTradeNo !== p.outTradeNo || !['paid_pending_sync', 'enrolled'].includes(e.status)) unbacked++;
    }
  }
  for (const list of paidBy.values()) if (list.length > 1) duplicates += list.length - 1;
  // An enrollment paid by a payment whose part for that person was refunded: enrolled for nothing.
  const enrolledWithoutMoney = enrollments.filter((e) => ['paid_pending_sync', 'enrolled'].includes(e.status) && e.outTradeNo && refundedParts.has(`${e.outTradeNo}|${e._id}`)).length;
  const received = payments.reduce((s, p) => s + p.totalFeeFen, 0);
  const refundedFen = refunds.filter((r) => r.status === 'succeeded').reduce((s, r) => s + r.refundFeeFen, 0);
  const enrolledFen = enrollments.filter((e) => ['paid_pending_sync', 'enrolled'].includes(e.status) && e.outTradeNo && payments.some((p) => p.outTradeNo === e.outTradeNo)).reduce((s, e) => s + (e.amountFen ?? 0), 0);
  return {
    payments: payments.length,
    refunds: refunds.length,
    refundsSucceeded: refunds.filter((r) => r.status === 'succeeded').length,
    refundsOpen: refunds.filter((r) => r.status === 'submitting' || r.status === 'processing').length,
    unbacked,
    enrolledWithoutMoney,
    duplicates,
    receivedFen: received,
    refundedFen,
    enrolledFen,
    /** Received = kept (behind enrollments) + given back, once every refund succeeded. */
    balanced: received === enrolledFen + refundedFen,
  };
}

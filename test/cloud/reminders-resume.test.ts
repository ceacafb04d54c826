/**
 * The reminders timer continues a run its time guard cut short: the next trigger (every 10
 * minutes, config.json) resumes from the day's cursor in reminder_cursors, so no subscriber is
 * skipped and none is reminded twice. Against the local cloud, with the guard forced to 1 ms.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildFunction } from '../../cloudfunctions/build';
import { startLocalCloud, type LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { devGet } from './helpers';

process.env.TENCENTCLOUD = 'true';
process.env.SILENCE = 'true';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sdk: any = require('wx-server-sdk');

jest.setTimeout(120_000);

const TIMER = { Type: 'Timer', TriggerName: 'resume', Time: '2023-12-30T02:00:00Z', Message: '' };

async function runTimer() {
  const r = await sdk.callFunction({ name: 'reminders', data: TIMER });
  return r.result as { ok: boolean; data?: any; error?: { code: string } };
}

describe('a run cut short by the time guard is continued by the next trigger', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    for (const name of ['resident', 'payment', 'payCallback', 'reminders']) await buildFunction(name);
    // A 1 ms guard: every invocation does one batch of subscribers, then stops.
    cloud = await startLocalCloud({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'reminders-resume-')), now: '2023-12-30T10:00:00+08:00', quiet: true, functionEnv: { REMINDERS_BUDGET_MS: '1' } });
    sdk.init({ env: 'local', serviceUrl: `${cloud.url}/admin`, secretId: 'local', secretKey: cloud.localToken, timeout: 90_000 });
  });
  afterAll(async () => cloud?.close());

  test('250 subscribers, the first 100 of them with their family paid (not reminded, still subscribed): every unpaid one is reminded once, the run continued trigger after trigger', async () => {
    const paid = Array.from({ length: 100 }, (_, i) => `oA${String(i).padStart(4, '0')}`);
    const unpaid = Array.from({ length: 150 }, (_, i) => `oB${String(i).padStart(4, '0')}`);
    const writes: any[] = [];
    for (const id of [...paid, ...unpaid]) writes.push({ c: 'users', id, doc: { _id: id, subscriptions: ['window_closing'], createdAt: '2023-09-02T00:00:00.000Z' } });
    for (const id of paid) {
      writes.push({ c: 'family_links', id: `l_${id}`, doc: { _id: `l_${id}`, ownerOpenid: id, personId: `p_${id}`, relation: 'self', createdAt: '2023-09-02T00:00:00.000Z' } });
      writes.push({ c: 'enrollments', id: `e_${id}`, doc: { _id: `e_${id}`, personId: `p_${id}`, benefitYear: 2024, status: 'paid_pending_sync' } });
    }
    cloud.store.write(writes);

    const first = await runTimer();
    expect(first).toMatchObject({ ok: true, data: { date: '2023-12-30', notNeeded: 5, sent: 0, complete: false, resumed: false } });
    // The next triggers continue (each does one batch of 5 under the 1 ms guard) until the run is done.
    const totals = { sent: 0, notNeeded: 5, alreadySent: 0, failed: 0 };
    let invocations = 1;
    for (;;) {
      const r = await runTimer();
      expect(r).toMatchObject({ ok: true, data: { resumed: true } });
      invocations += 1;
      for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += r.data[k];
      if (r.data.complete) break;
      if (invocations > 60) throw new Error('the run does not move forward');
    }
    expect(totals).toEqual({ sent: 150, notNeeded: 100, alreadySent: 0, failed: 0 });
    expect(invocations).toBe(50); // 250 subscribers, 5 per invocation
    const after = await runTimer();
    expect(after).toMatchObject({ ok: true, data: { sent: 0, notNeeded: 0, complete: true, resumed: false } });

    const all = (await devGet(cloud.url, '/api/outbox')).items;
    expect(all).toHaveLength(150);
    expect(new Set(all.map((m: any) => m.touser))).toEqual(new Set(unpaid));
    expect(cloud.store.getById('reminder_cursors', '2023-12-30')).toMatchObject({ complete: true, invocations: 50 });
  });
});

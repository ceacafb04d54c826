/**
 * Window reminders: the timer-triggered `reminders` function against the local cloud, invoked
 * without a user the way the platform does (cloud.callFunction from the server side), and the
 * resident `subscribe` action that records what a resident accepted.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildFunction } from '../../cloudfunctions/build';
import { startLocalCloud, type LocalCloud } from '../../cloudfunctions/local-cloud/server';
import config from '../../config/subscribe-messages.json';
import { addWithDocument, adult, CONSENT, devGet, makeId, payFor, post, Resident, signIn } from './helpers';

// The server-side SDK in this process, pointed at the local cloud (as in the contract suite).
process.env.TENCENTCLOUD = 'true';
process.env.SILENCE = 'true';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sdk: any = require('wx-server-sdk');

jest.setTimeout(120_000);

const TIMER = { Type: 'Timer', TriggerName: 'daily', Time: '2023-09-01T02:00:00Z', Message: '' };

const OPEN = config.templates.window_open;
const CLOSING = config.templates.window_closing;

async function runTimer(event: Record<string, unknown> = TIMER) {
  const r = await sdk.callFunction({ name: 'reminders', data: event });
  return r.result as { ok: boolean; data?: any; error?: { code: string } };
}

async function outbox(url: string, openid: string): Promise<any[]> {
  return (await devGet(url, `/api/outbox?touser=${encodeURIComponent(openid)}`)).items;
}

describe('window reminders (benefit year 2024, window 2023-09-01 … 2023-12-31)', () => {
  let cloud: LocalCloud;
  let ann: Resident; // will pay for her family
  let bob: Resident; // will not
  beforeAll(async () => {
    for (const name of ['resident', 'payment', 'payCallback', 'reminders']) await buildFunction(name);
    cloud = await startLocalCloud({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'reminders-')), now: '2023-08-31T18:00:00+08:00', quiet: true });
    sdk.init({ env: 'local', serviceUrl: `${cloud.url}/admin`, secretId: 'local', secretKey: cloud.localToken, timeout: 90_000 });
    ann = await signIn(cloud.url, 'ann');
    bob = await signIn(cloud.url, 'bob');
  });
  afterAll(async () => cloud?.close());

  test('subscribe: needs consent, records the accepted templates, refuses unknown ones', async () => {
    const early = await ann.call('resident', { action: 'subscribe', templates: ['window_open'] });
    expect(!early.ok && early.error.code).toBe('CONSENT_REQUIRED');
    await ann.data('resident', CONSENT);
    await bob.data('resident', CONSENT);
    const unknown = await ann.call('resident', { action: 'subscribe', templates: ['spam'] });
    expect(!unknown.ok && unknown.error.code).toBe('INVALID_INPUT');
    const r = await ann.data('resident', { action: 'subscribe', templates: ['window_open', 'window_closing'] });
    expect(r.templates.sort()).toEqual(['window_closing', 'window_open']);
    const again = await ann.data('resident', { action: 'subscribe', templates: ['window_open'] });
    expect(again.templates).toHaveLength(2);
    await bob.data('resident', { action: 'subscribe', templates: ['window_closing'] });
  });

  test('the day before the window opens, nothing is due', async () => {
    const r = await runTimer();
    expect(r).toMatchObject({ ok: true, data: { date: '2023-08-31', due: [], sent: 0 } });
    expect(await outbox(cloud.url, ann.openid)).toHaveLength(0);
  });

  test('on 2023-09-01 a window_open subscriber gets one message; a second run the same day sends nothing more', async () => {
    await post(cloud.url, '/api/clock', { now: '2023-09-01T10:00:00+08:00' });
    const first = await runTimer();
    expect(first).toMatchObject({ ok: true, data: { date: '2023-09-01', due: [{ template: 'window_open', benefitYear: 2024 }], sent: 1, complete: true } });
    const items = await outbox(cloud.url, ann.openid);
    expect(items).toHaveLength(1);
    // Id, keys and version from config/subscribe-messages.json; dates in date keys.
    expect(items[0]).toMatchObject({ templateId: OPEN.id, page: 'pages/index/index', miniprogramState: config.miniprogramState, lang: 'zh_CN' });
    expect(items[0].data[OPEN.fields.title].value).toBe('2024年度居民医保开始缴费');
    expect(items[0].data[OPEN.fields.start].value).toBe('2023年9月1日');
    expect(items[0].data[OPEN.fields.end].value).toBe('2023年12月31日');
    expect(await outbox(cloud.url, bob.openid)).toHaveLength(0); // bob did not subscribe to it
    // One-time authorisation: used up.
    expect((cloud.store.getById('users', ann.openid) as any).subscriptions).toEqual(['window_closing']);

    const second = await runTimer();
    expect(second).toMatchObject({ ok: true, data: { sent: 0, complete: true } });
    // Even if the resident accepts again the same day, the day's finished run keeps it to one message.
    await ann.data('resident', { action: 'subscribe', templates: ['window_open'] });
    const third = await runTimer();
    expect(third).toMatchObject({ ok: true, data: { sent: 0, complete: true } });
    expect(await outbox(cloud.url, ann.openid)).toHaveLength(1);
    expect(cloud.store.all('reminder_runs')).toHaveLength(1);
  });

  test('a resident calling it through the gateway is refused', async () => {
    const r = await bob.call('reminders', TIMER);
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const notTimer = await runTimer({ action: 'send' });
    expect(notTimer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await outbox(cloud.url, bob.openid)).toHaveLength(0);
  });

  test('on 2023-12-24 (7 days before the end) a paid family gets no window_closing, an unpaid one does', async () => {
    const annPerson = await addWithDocument(cloud.url, ann, adult('安然', makeId('340104', '1985-03-03', 411)));
    await payFor(cloud.url, ann, [{ personId: annPerson, benefitYear: 2024 }]);
    await addWithDocument(cloud.url, bob, adult('鲍勃', makeId('340104', '1986-04-04', 513)));

    await post(cloud.url, '/api/clock', { now: '2023-12-24T10:00:00+08:00' });
    const r = await runTimer();
    expect(r).toMatchObject({ ok: true, data: { date: '2023-12-24', due: [{ template: 'window_closing', benefitYear: 2024 }], sent: 1, notNeeded: 1 } });
    const bobs = await outbox(cloud.url, bob.openid);
    expect(bobs).toHaveLength(1);
    expect(bobs[0]).toMatchObject({ templateId: CLOSING.id, page: 'pages/index/index' });
    // A time key carries the time of day: the window closes at 23:59:59 of its last day.
    expect(bobs[0].data[CLOSING.fields.deadline].value).toBe('2023年12月31日 23:59');
    expect(bobs[0].data[CLOSING.fields.status].value).toBe('尚未缴费');
    expect(bobs[0].data[CLOSING.fields.note].value).toBe('还剩8天，请尽快为家人缴费');
    expect((await outbox(cloud.url, ann.openid)).filter((m) => m.templateId === CLOSING.id)).toHaveLength(0);
    expect((cloud.store.getById('users', bob.openid) as any).subscriptions).toEqual([]);
    const again = await runTimer();
    expect(again).toMatchObject({ ok: true, data: { sent: 0 } });
    expect(await outbox(cloud.url, bob.openid)).toHaveLength(1);
  });
  test('on 2023-12-30 (1 day before the end) more than one page of subscribers is walked by _id, each reminded once', async () => {
    const many = Array.from({ length: 230 }, (_, i) => `oSeeded${String(i).padStart(4, '0')}`);
    cloud.store.write(many.map((id) => ({ c: 'users', id, doc: { _id: id, subscriptions: ['window_closing'], createdAt: '2023-09-02T00:00:00.000Z' } as any })));
    await bob.data('resident', { action: 'subscribe', templates: ['window_closing'] });
    await post(cloud.url, '/api/clock', { now: '2023-12-30T10:00:00+08:00' });
    const r = await runTimer();
    // 230 without family (REMIND_EMPTY_FAMILY) + bob (unpaid); ann's family is paid.
    expect(r).toMatchObject({ ok: true, data: { date: '2023-12-30', sent: 231, notNeeded: 1, failed: 0, complete: true } });
    const all = await devGet(cloud.url, '/api/outbox');
    const closing = all.items.filter((m: any) => m.templateId === CLOSING.id && m.data[CLOSING.fields.note].value.startsWith('还剩2天'));
    expect(new Set(closing.map((m: any) => m.touser)).size).toBe(231);
    expect(closing).toHaveLength(231);
    expect((await runTimer()).data.sent).toBe(0);
  });
});

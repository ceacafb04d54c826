/**
 * The resident home's first screen (issue 15): one call (`resident.home`, no consentStatus
 * before it), started by app.ts while the page's chunks download (services/early-call.ts) and
 * taken by the page instead of a second request; only for a resident's session on the home route.
 */
import { render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { http } from '@/services/gateway';
import IndexPage from '@/pages/index/index';
import { resident } from '@/services/resident';
import { EARLY_TTL_MS, startHomeEarly, takeEarlyCall } from '@/services/early-call';
import { logout, SESSION_KEY } from '@/services/session';
import { BOOT_HOME_GLOBAL } from '../../config/h5-route-preload';

const T = Taro as unknown as Record<string, unknown>;

const person = {
  personId: 'me', name: '王芳', idMasked: '340***********1234', relation: 'self', newborn: false, status: 'not_enrolled', statusText: '未参保',
  payableFen: 38000, expectedBy: null, reasons: [], pendingOutTradeNo: null, documents: [], nextStep: { kind: 'pay', text: '去缴费' },
  verified: true, authorization: 'active', familyPaying: null,
};
const HOME = {
  today: '2023-10-08', benefitYear: 2024, years: [2024], window: { start: '2023-09-01', end: '2023-12-31', open: true, daysLeft: 85, opensInDays: 0 },
  persons: [person], self: { verified: true, method: 'face' },
};

/** Every request the page sends, as `function.action`; replies from `replies` (else an error). */
let sent: string[];
function gateway(replies: Record<string, { ok: boolean; data?: unknown; error?: unknown }>) {
  sent = [];
  return jest.spyOn(http as any, 'post').mockImplementation((async (opts: Taro.request.Option) => {
    const fn = String(opts.url).split('/').pop();
    const action = (opts.data as { action?: string })?.action;
    sent.push(`${fn}.${action}`);
    const r = replies[`${fn}.${action}`];
    return { statusCode: 200, data: { result: r ?? { ok: false, error: { code: 'TEST', message: '测试未提供' } } }, header: {} };
  }) as any);
}

const signIn = (staff: unknown = null) => Taro.setStorageSync(SESSION_KEY, { token: 'tk-1', openid: 'o1', displayName: '王芳', staff });

beforeEach(() => {
  jest.restoreAllMocks();
  jest.useRealTimers();
  logout();
  process.env.TARO_ENV = 'h5';
  // Nothing left over from a previous test.
  takeEarlyCall('resident', { action: 'home' }, 'tk-1');
});

test('home shows the status after one call: resident.home, no consentStatus first', async () => {
  signIn();
  gateway({ 'resident.home': { ok: true, data: HOME }, 'staffDocuments.whoami': { ok: true, data: { staff: false } } });
  render(<IndexPage />);
  expect((await screen.findByTestId('person-status')).textContent).toBeTruthy();
  expect(sent.filter((s) => s.startsWith('resident.'))).toEqual(['resident.home']);
});

test('without consent, home itself refuses (CONSENT_REQUIRED) and the page asks for it', async () => {
  signIn();
  gateway({ 'resident.home': { ok: false, error: { code: 'CONSENT_REQUIRED', message: '请先阅读并同意隐私保护说明' } } });
  render(<IndexPage />);
  expect(await screen.findByTestId('consent-needed')).toBeTruthy();
  expect(screen.queryByTestId('person-status')).toBeNull();
  expect(sent).not.toContain('resident.consentStatus');
});

test('the call started at boot is the one the page uses: one request, not two', async () => {
  signIn();
  gateway({ 'resident.home': { ok: true, data: HOME }, 'staffDocuments.whoami': { ok: true, data: { staff: false } } });
  startHomeEarly('#/pages/index/index');
  expect(sent).toEqual(['resident.home']);
  render(<IndexPage />);
  await screen.findByTestId('person-status');
  await waitFor(() => expect(sent).toContain('staffDocuments.whoami'));
  expect(sent.filter((s) => s === 'resident.home')).toHaveLength(1);
});

test('the early reply is checked like any other: a malformed reply shows as the page\'s error', async () => {
  signIn();
  gateway({ 'resident.home': { ok: true, data: { persons: 'not a list' } } });
  startHomeEarly('');
  render(<IndexPage />);
  expect(await screen.findByText('服务返回的数据有误，请稍后重试')).toBeTruthy();
  expect(sent.filter((s) => s === 'resident.home')).toHaveLength(1);
});

test('no early call for another route, a staff session or nobody signed in', () => {
  gateway({});
  startHomeEarly('#/pages/index/index');
  signIn();
  startHomeEarly('#/pages/quote/index?persons=me&year=2024');
  startHomeEarly('#/staff/pages/index/index');
  signIn({ role: 'community', scope: {} });
  startHomeEarly('#/pages/index/index');
  expect(sent).toEqual([]);
});

test('taken once, only by the same call with the same token, and not when stale', async () => {
  signIn();
  gateway({ 'resident.home': { ok: true, data: HOME } });
  startHomeEarly('#/');
  expect(takeEarlyCall('resident', { action: 'home' }, 'other-token')).toBeUndefined();
  expect(takeEarlyCall('resident', { action: 'consentStatus' }, 'tk-1')).toBeUndefined();
  expect(takeEarlyCall('staffDocuments', { action: 'home' }, 'tk-1')).toBeUndefined();
  const early = takeEarlyCall('resident', { action: 'home' }, 'tk-1');
  expect(early).toBeDefined();
  expect(await early).toEqual({ result: { ok: true, data: HOME } });
  expect(takeEarlyCall('resident', { action: 'home' }, 'tk-1')).toBeUndefined();

  const now = Date.now();
  const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
  startHomeEarly('#/');
  clock.mockReturnValue(now + EARLY_TTL_MS + 1);
  expect(takeEarlyCall('resident', { action: 'home' }, 'tk-1')).toBeUndefined();
  // The page then calls for itself.
  clock.mockRestore();
  await resident({ action: 'home' });
  expect(sent.filter((s) => s === 'resident.home')).toHaveLength(3);
});

/** What index.html's boot script leaves (config/h5-route-preload.ts earlyHomeScript). */
function bootCall(token: string, reply: Promise<{ status: number; body: unknown }>, at = Date.now()) {
  (globalThis as Record<string, unknown>)[BOOT_HOME_GLOBAL] = { token, at, reply };
}

test('the boot script and the app agree on the session key and the hand-over global', () => {
  // config/index.ts passes 'hf.session' to the plugin; early-call.ts reads SESSION_KEY.
  expect(SESSION_KEY).toBe('hf.session');
  bootCall('tk-1', Promise.resolve({ status: 200, body: { result: { ok: true, data: HOME } } }));
  signIn();
  gateway({});
  startHomeEarly('#/');
  expect((globalThis as Record<string, unknown>)[BOOT_HOME_GLOBAL]).toBeUndefined();
  expect(sent).toEqual([]);
});

test('the call index.html started is adopted: the page shows the status with no request of its own', async () => {
  signIn();
  gateway({ 'staffDocuments.whoami': { ok: true, data: { staff: false } } });
  bootCall('tk-1', Promise.resolve({ status: 200, body: { result: { ok: true, data: HOME } } }));
  startHomeEarly('#/pages/index/index');
  render(<IndexPage />);
  expect((await screen.findByTestId('person-status')).textContent).toBe('未参保');
  await waitFor(() => expect(sent).toContain('staffDocuments.whoami'));
  expect(sent.filter((s) => s.startsWith('resident.'))).toEqual([]);
});

test('a boot call made with another token is not used: the app calls for itself', async () => {
  signIn();
  gateway({ 'resident.home': { ok: true, data: HOME } });
  bootCall('someone-else', Promise.resolve({ status: 200, body: { result: { ok: true, data: { ...HOME, persons: [] } } } }));
  startHomeEarly('#/');
  expect(sent).toEqual(['resident.home']);
  expect(await takeEarlyCall('resident', { action: 'home' }, 'tk-1')).toEqual({ result: { ok: true, data: HOME } });
});

test('a boot call is as old as the boot script made it: past EARLY_TTL_MS since then, the app calls for itself', async () => {
  signIn();
  gateway({ 'resident.home': { ok: true, data: HOME } });
  bootCall('tk-1', Promise.resolve({ status: 200, body: { result: { ok: true, data: { ...HOME, persons: [] } } } }), Date.now() - EARLY_TTL_MS - 1);
  startHomeEarly('#/');
  expect((globalThis as Record<string, unknown>)[BOOT_HOME_GLOBAL]).toBeUndefined();
  expect(takeEarlyCall('resident', { action: 'home' }, 'tk-1')).toBeUndefined();
  await resident({ action: 'home' });
  expect(sent).toEqual(['resident.home']);
});

test('the boot call\'s reply is checked like postJson\'s: 401 signs out, an error body and a failed fetch are the page\'s errors', async () => {
  expect.assertions(4);
  signIn();
  bootCall('tk-1', Promise.resolve({ status: 401, body: { error: { code: 'UNAUTHENTICATED', message: '登录已过期，请重新登录' } } }));
  startHomeEarly('#/');
  await expect(resident({ action: 'home' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  expect(Taro.getStorageSync(SESSION_KEY)).toBeFalsy();

  signIn();
  bootCall('tk-1', Promise.reject(new TypeError('Failed to fetch')));
  startHomeEarly('#/');
  await expect(resident({ action: 'home' })).rejects.toMatchObject({ code: 'NETWORK' });

  bootCall('tk-1', Promise.resolve({ status: 500, body: { error: { code: 'INTERNAL', message: '服务暂时不可用，请稍后重试' } } }));
  startHomeEarly('#/');
  await expect(resident({ action: 'home' })).rejects.toMatchObject({ code: 'INTERNAL', message: '服务暂时不可用，请稍后重试' });
});

/** Lets the started call's reply arrive (the stand-in gateway answers in a later task). */
const arrive = () => new Promise((r) => setTimeout(r, 0));

test('a reply that arrived before the page mounts is in the first render: the status at once, no loading state, one request', async () => {
  signIn();
  gateway({ 'resident.home': { ok: true, data: HOME }, 'staffDocuments.whoami': { ok: true, data: { staff: false } } });
  startHomeEarly('#/pages/index/index');
  await arrive();
  render(<IndexPage />);
  // Synchronously after the first render: no await between.
  expect(screen.getByTestId('person-status').textContent).toBe('未参保');
  expect(screen.queryByText('正在查询参保状态…')).toBeNull();
  // The settings below the fold follow one frame later.
  expect(screen.queryByTestId('student-entry-link')).toBeNull();
  expect(await screen.findByTestId('student-entry-link')).toBeTruthy();
  await waitFor(() => expect(sent).toContain('staffDocuments.whoami'));
  expect(sent.filter((s) => s === 'resident.home')).toHaveLength(1);
});

test('an arrived reply is checked like any other: malformed, it is the page\'s error in the first render; CONSENT_REQUIRED asks for consent', async () => {
  signIn();
  gateway({ 'resident.home': { ok: true, data: { ...HOME, persons: 'not a list' } } });
  startHomeEarly('#/');
  await arrive();
  const first = render(<IndexPage />);
  expect(screen.getByText('服务返回的数据有误，请稍后重试')).toBeTruthy();
  expect(screen.queryByTestId('person-status')).toBeNull();
  first.unmount();

  gateway({ 'resident.home': { ok: false, error: { code: 'CONSENT_REQUIRED', message: '请先阅读并同意隐私保护说明' } } });
  startHomeEarly('#/');
  await arrive();
  render(<IndexPage />);
  expect(screen.getByTestId('consent-needed')).toBeTruthy();
  expect(sent.filter((s) => s.startsWith('resident.'))).toEqual(['resident.home']);
});

test('an early call that failed is not taken as arrived: the page goes the usual way, and a 401 signs out', async () => {
  signIn();
  gateway({});
  bootCall('tk-1', Promise.resolve({ status: 401, body: { error: { code: 'UNAUTHENTICATED', message: '登录已过期，请重新登录' } } }));
  startHomeEarly('#/');
  await arrive();
  render(<IndexPage />);
  expect(screen.getByText('正在查询参保状态…')).toBeTruthy();
  await waitFor(() => expect(Taro.getStorageSync(SESSION_KEY)).toBeFalsy());
  expect(await screen.findByText('登录后办理参保')).toBeTruthy();
  // The boot call was the one request for the home.
  expect(sent.filter((s) => s.startsWith('resident.'))).toEqual([]);
});

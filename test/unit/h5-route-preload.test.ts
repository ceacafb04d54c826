/**
 * config/h5-route-preload.ts (issue 15): index.html asks for the opened page's chunks while the
 * entry scripts download. The table comes from the build; the inline script picks the route from
 * the URL's hash and adds one <link rel="preload"> per file of that page, nothing for others.
 */
import { BOOT_HOME_GLOBAL, earlyHomeScript, pageOfRequest, preloadScript } from '../../config/h5-route-preload';

const FILES = ['js/shared.1111aaaa.js', 'css/home.2222bbbb.css', 'js/home.3333cccc.js', 'js/quote.4444dddd.js'];
const ROUTES = { 'pages/index/index': [0, 1, 2], 'pages/quote/index': [0, 3] };

/** Runs the inline script against a stand-in document; returns the links it added. */
function run(hash: string): { rel: string; as: string; href: string }[] {
  const links: { rel: string; as: string; href: string }[] = [];
  const document = {
    createElement: () => ({ rel: '', as: '', href: '' }),
    head: { appendChild: (e: { rel: string; as: string; href: string }) => links.push(e) },
  };
  new Function('location', 'document', preloadScript('/', FILES, ROUTES, 'pages/index/index'))({ hash }, document);
  return links;
}

test('the page path of a lazy page import, subpackages included; other imports are not pages', () => {
  expect(pageOfRequest('./pages/index/index')).toBe('pages/index/index');
  expect(pageOfRequest('./pages/quote/index.tsx?stamp=1')).toBe('pages/quote/index');
  expect(pageOfRequest('./staff/pages/cash/index')).toBe('staff/pages/cash/index');
  expect(pageOfRequest('.\\pages\\pay\\index')).toBe('pages/pay/index');
  expect(pageOfRequest('@nutui/nutui-react-taro')).toBeUndefined();
  expect(pageOfRequest('./components/resident/HomeDashboard')).toBeUndefined();
  expect(pageOfRequest(undefined)).toBeUndefined();
});

test('the home (no route, #/, or its path) preloads exactly its scripts and styles', () => {
  const home = [
    { rel: 'preload', as: 'script', href: '/js/shared.1111aaaa.js' },
    { rel: 'preload', as: 'style', href: '/css/home.2222bbbb.css' },
    { rel: 'preload', as: 'script', href: '/js/home.3333cccc.js' },
  ];
  expect(run('')).toEqual(home);
  expect(run('#/')).toEqual(home);
  expect(run('#/pages/index/index?from=share')).toEqual(home);
});

test('another route preloads its own chunks; an unknown route nothing', () => {
  expect(run('#/pages/quote/index?persons=p1&year=2024').map((l) => l.href)).toEqual(['/js/shared.1111aaaa.js', '/js/quote.4444dddd.js']);
  expect(run('#/staff/pages/index/index')).toEqual([]);
});

test('the inline script is ES5 (old phones): no arrow functions, let/const or template strings', () => {
  const src = preloadScript('/', FILES, ROUTES, 'pages/index/index');
  expect(src).not.toMatch(/=>|\blet\b|\bconst\b|`/);
  expect(() => new Function(src)).not.toThrow();
});

/**
 * The boot script's home call (earlyHomeScript): run against stand-ins for location, localStorage
 * and fetch; returns the requests it sent and what it left for the app.
 */
function boot(hash: string, stored: unknown, opts: { gateway?: string; fetch?: boolean } = {}) {
  const sent: { url: string; init: { method: string; headers: Record<string, string>; body: string } }[] = [];
  const window: Record<string, unknown> = { Promise };
  if (opts.fetch !== false) {
    window.fetch = (url: string, init: (typeof sent)[number]['init']) => {
      sent.push({ url, init });
      return Promise.resolve({ status: 200, json: () => Promise.resolve({ result: { ok: true, data: { persons: [] } } }) });
    };
  }
  const localStorage = { getItem: (k: string) => (k === 'hf.session' && stored !== undefined ? JSON.stringify(stored) : null) };
  const src = earlyHomeScript({ gateway: opts.gateway ?? '', sessionKey: 'hf.session' }, 'pages/index/index');
  new Function('window', 'location', 'localStorage', 'fetch', src)(window, { hash }, localStorage, window.fetch);
  return { sent, left: window[BOOT_HOME_GLOBAL] as { token: string; at: number; reply: Promise<unknown> } | undefined };
}

const RESIDENT = { data: { token: 'tk-1', openid: 'o1', displayName: '王芳', staff: null } };

test('on the home, a resident session starts resident.home with its token and leaves it for the app', async () => {
  for (const hash of ['', '#/', '#/pages/index/index?from=share']) {
    const { sent, left } = boot(hash, RESIDENT);
    expect(sent).toEqual([
      { url: '/api/functions/resident', init: { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer tk-1' }, body: '{"action":"home"}' } },
    ]);
    expect(left?.token).toBe('tk-1');
    await expect(left?.reply).resolves.toEqual({ status: 200, body: { result: { ok: true, data: { persons: [] } } } });
  }
  expect(boot('', RESIDENT, { gateway: 'https://gw.example.cn/' }).sent[0].url).toBe('https://gw.example.cn/api/functions/resident');
});

test('no boot call off the home, for staff, without a session, for a malformed one, or without fetch', () => {
  const none = [
    boot('#/pages/quote/index?persons=p1&year=2024', RESIDENT),
    boot('', { data: { ...RESIDENT.data, staff: { role: 'community', scope: {} } } }),
    boot('', undefined),
    boot('', { data: { ...RESIDENT.data, token: '' } }),
    boot('', RESIDENT.data), // not written by Taro's setStorageSync ({"data": …})
    boot('', RESIDENT, { fetch: false }),
  ];
  for (const { sent, left } of none) {
    expect(sent).toEqual([]);
    expect(left).toBeUndefined();
  }
});

test('the boot script is ES5 too', () => {
  const src = earlyHomeScript({ gateway: '', sessionKey: 'hf.session' }, 'pages/index/index');
  expect(src).not.toMatch(/=>|\blet\b|\bconst\b|`/);
  expect(() => new Function(src)).not.toThrow();
});

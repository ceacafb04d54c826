/**
 * config/h5-route-preload.ts (issue 15): index.html asks for the opened page's chunks while the
 * entry scripts download. The table comes from the build; the inline script picks the route from
 * the URL's hash and adds one <link rel="preload"> per file of that page, nothing for others.
 */
import { pageOfRequest, preloadScript } from '../../config/h5-route-preload';

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

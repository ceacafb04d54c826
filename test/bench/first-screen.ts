/**
 * First screen (issue 15): Chromium (Debian's, driven by playwright-core as in test/e2e) on the
 * H5 build served by the local cloud. A resident (consented, themself added with an ID photo) is
 * signed in once; each measurement is a fresh navigation in a phone-sized page:
 *  - home: navigation start → the family's status badge ([data-testid=person-status]) in the DOM,
 *  - quote: → the total ([data-testid=quote-total]), pay: → the order item ([data-testid=order-item]);
 * cold cache (a new browser context with the signed-in storage) and warm (the same context again);
 * unthrottled and under a phone profile (CDP: 4× CPU slowdown, 150 ms latency, 1.6 Mbps down).
 * The moment is taken in the page (a MutationObserver installed before any script, stamping
 * performance.now()), and the page tells the harness with one console message: polling from the
 * harness (Playwright's waitForFunction) ran on the very main thread being measured, 4× slowed
 * under the phone profile (its injected script alone ~170 ms there, then a poll every 100 ms).
 * JavaScript bytes from the Resource Timing entries (transferred, and
 * decoded). Median of RUNS. Budgets: home status < 1 s unthrottled, < 2.5 s throttled (cold).
 * Beside them the floor: the minimal Taro 4 + React app of the size section (one page, a View and
 * a Text), built for H5 with the same config/ and measured the same way to its View — what the
 * framework alone costs before any of our code, data or round trip.
 */
import { mkdtempSync } from 'fs';
import { join } from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildFunction } from '../../cloudfunctions/build';
import { startLocalCloud } from '../../cloudfunctions/local-cloud/server';
import { launchBrowser } from '../e2e/support/browser';
import { attachFront, benchId, member, session } from './cost';
import { kb, median, ms, record } from './report';
import { buildTaro, floorProject } from './size';

const SECTION = 'First screen (H5, Chromium)';

/** The console message the page sends when the awaited element is in the DOM. */
const SEEN = 'hf-bench-seen';

export const STAMP = (selector: string) => `
(() => {
  const sel = ${JSON.stringify(selector)};
  const check = () => {
    if (window.__benchSeen) return;
    const el = document.querySelector(sel);
    if (el) {
      window.__benchSeen = performance.now();
      console.debug(${JSON.stringify(SEEN)});
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: false });
})();`;

interface Sample {
  ms: number;
  jsTransfer: number;
  jsDecoded: number;
  jsFiles: number;
}

async function visit(context: BrowserContext, url: string, selector: string, throttled: boolean): Promise<Sample> {
  const page = await context.newPage();
  try {
    await page.addInitScript(STAMP(selector));
    if (throttled) await throttle(context, page);
    const seen = waitForStamp(page);
    await page.goto(url, { waitUntil: 'commit' });
    await seen.catch(async (e) => {
      throw new Error(`${selector} never appeared on ${url}: ${(await page.locator('body').innerText()).slice(0, 300)} (${e.message})`);
    });
    return await page.evaluate(() => {
      const js = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => e.initiatorType === 'script' || /\.js(\?|$)/.test(e.name));
      return {
        ms: (window as any).__benchSeen as number,
        jsTransfer: js.reduce((s, e) => s + e.transferSize, 0),
        jsDecoded: js.reduce((s, e) => s + e.decodedBodySize, 0),
        jsFiles: js.length,
      };
    });
  } finally {
    await page.close();
  }
}

/** Resolves when the page's STAMP has seen its element (set up before the navigation). */
export function waitForStamp(page: Page): Promise<unknown> {
  return page.waitForEvent('console', { predicate: (m) => m.text() === SEEN, timeout: 60_000 });
}

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' };

/**
 * The local cloud serving the H5 build, a consented resident with themself added (ID photo
 * attached), and the browser storage of that resident signed in once through the page's own form:
 * every measured context starts from it.
 */
export async function firstScreenWorld(work: string, h5Dir: string) {
  const functionsDir = mkdtempSync(join(work, 'fs-functions-'));
  for (const name of ['resident', 'payment', 'payCallback']) await buildFunction(name, functionsDir);
  const cloud = await startLocalCloud({ port: 0, dataDir: mkdtempSync(join(work, 'fs-')), now: '2023-10-08T10:00:00+08:00', quiet: true, functionsDir, staticDir: h5Dir });
  let browser: Browser | null = null;
  try {
    const account = 'bench_first_screen';
    const r = await session(cloud, account);
    await r.data('resident', { action: 'acceptConsent', version: '2023-08' });
    const m = await r.data('resident', member('陈首屏', benchId('1980-05-05')));
    await attachFront(cloud, r, m.personId);
    browser = await launchBrowser();
    const first = await browser.newContext(PHONE);
    const p = await first.newPage();
    await p.goto(`${cloud.url}/#/pages/index/index`);
    const input = p.locator('input[name="account"]').first();
    await input.click();
    await input.fill(account);
    await p.locator('.nut-button:visible', { hasText: '登录' }).last().click();
    await p.getByTestId('person-status').first().waitFor({ timeout: 60_000 });
    const storageState = await first.storageState();
    await first.close();
    const b = browser;
    return { cloud, browser: b, r, personId: m.personId as string, storageState, close: async () => { await b.close(); await cloud.close(); } };
  } catch (e) {
    await browser?.close();
    await cloud.close();
    throw e;
  }
}

/** The phone profile: 4× CPU slowdown, 150 ms latency, 1.6 Mbps down (CDP emulation). */
export async function throttle(context: BrowserContext, page: import('playwright-core').Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 });
}

/** The floor's first screen (cold, median of `runs`), unthrottled and under the phone profile. */
async function floorFirstScreen(work: string, browser: Browser, runs: number): Promise<{ unthrottled: Sample; throttled: Sample }> {
  const floorDir = join(work, 'floor');
  floorProject(floorDir);
  const out = join(work, 'floor-h5');
  buildTaro('h5', floorDir, out);
  const cloud = await startLocalCloud({ port: 0, dataDir: mkdtempSync(join(work, 'fs-floor-')), quiet: true, functionsDir: mkdtempSync(join(work, 'fs-floor-functions-')), staticDir: out });
  try {
    const result: Record<'unthrottled' | 'throttled', Sample> = {} as never;
    for (const throttled of [false, true]) {
      const samples: Sample[] = [];
      for (let i = 0; i < runs; i++) {
        const context = await browser.newContext(PHONE);
        try {
          samples.push(await visit(context, `${cloud.url}/`, '.floor-ready', throttled));
        } finally {
          await context.close();
        }
      }
      const m = median(samples.map((s) => s.ms));
      result[throttled ? 'throttled' : 'unthrottled'] = { ...samples.find((s) => s.ms === m)!, ms: m };
    }
    return result;
  } finally {
    await cloud.close();
  }
}

export async function firstScreenBench(work: string, h5Dir: string, runs = 3): Promise<void> {
  const { cloud, browser, r, personId, storageState, close } = await firstScreenWorld(work, h5Dir);
  try {
    const pages = [
      { name: 'home: family status', path: '/#/pages/index/index', selector: '[data-testid="person-status"]', budgeted: true },
      { name: 'quote', path: `/#/pages/quote/index?persons=${personId}&year=2024`, selector: '[data-testid="quote-total"]', budgeted: false },
      { name: 'pay', path: `/#/pages/pay/index?items=${personId}:2024`, selector: '[data-testid="order-item"]', budgeted: false },
    ];
    // The pay page opens an order: closed after each visit, so every visit is a first one.
    const closeOrders = async () => {
      for (const o of cloud.store.all('orders') as { outTradeNo: string; status: string }[]) {
        if (o.status === 'pending' || o.status === 'created') await r.data('payment', { action: 'closeOrder', outTradeNo: o.outTradeNo });
      }
    };
    const floor = await floorFirstScreen(work, browser, runs);
    for (const throttled of [false, true]) {
      const profile = throttled ? 'phone profile (4× CPU, 150 ms, 1.6 Mbps)' : 'unthrottled';
      const f = throttled ? floor.throttled : floor.unthrottled;
      record({
        section: SECTION,
        name: `floor: minimal Taro 4 + React app, ${profile}`,
        value: `cold ${ms(f.ms)}; JS ${f.jsFiles} files, ${kb(f.jsTransfer)} transferred (${kb(f.jsDecoded)} decoded)`,
        how: `the size section's one-page app (View + Text) built for H5 with a copy of config/, served by the local cloud; navigation start → its View in the DOM, as for the pages below; median of ${runs} cold visits`,
      });
      for (const pg of pages) {
        const cold: Sample[] = [];
        const warm: Sample[] = [];
        for (let i = 0; i < runs; i++) {
          const context = await browser.newContext({ ...PHONE, storageState });
          try {
            cold.push(await visit(context, `${cloud.url}${pg.path}`, pg.selector, throttled));
            await closeOrders();
            warm.push(await visit(context, `${cloud.url}${pg.path}`, pg.selector, throttled));
            await closeOrders();
          } finally {
            await context.close();
          }
        }
        const limit = throttled ? 2500 : 1000;
        const c = median(cold.map((s) => s.ms));
        const w = median(warm.map((s) => s.ms));
        const js = cold[0];
        record({
          section: SECTION,
          name: `${pg.name}, ${profile}`,
          value: `cold ${ms(c)} (${(c / f.ms).toFixed(1)}× the floor's ${ms(f.ms)}; cold visits ${ms(Math.min(...cold.map((x) => x.ms)))}–${ms(Math.max(...cold.map((x) => x.ms)))}), warm ${ms(w)}; JS ${js.jsFiles} files, ${kb(js.jsTransfer)} transferred (${kb(js.jsDecoded)} decoded) cold, ${kb(warm[0].jsTransfer)} warm`,
          how: `Chromium ${browser.version()} headless, 390×844 page; navigation start → ${pg.selector} in the DOM (MutationObserver stamp); median of ${runs}; local cloud serving the H5 build on 127.0.0.1; under the shared machine's load`,
          ...(pg.budgeted ? { budget: `cold < ${limit / 1000} s`, ok: c < limit } : {}),
        });
      }
    }
  } finally {
    await close();
  }
}

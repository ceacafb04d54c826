/**
 * One WeChat user with the built mini-program open on their phone: the runtime (runtime.ts),
 * its `wx` bridged to a local cloud (wx.ts), and the current page's data tree (tree.ts).
 */
import { existsSync } from 'fs';
import { join } from 'path';
import type { LocalCloud } from '../../../cloudfunctions/local-cloud/server';
import { signIn } from '../../cloud/helpers';
import { WeappRuntime, type PageInstance } from './runtime';
import { PageView, Templates } from './tree';
import { createWx, type WxHarness } from './wx';

export { type TaroNode } from './tree';

/** The build under test: WEAPP_DIST (set by the global set-up, or by hand to reuse a build). */
export function weappDist(): string {
  const dir = process.env.WEAPP_DIST;
  if (!dir || !existsSync(join(dir, 'app.js'))) throw new Error(`no weapp build at WEAPP_DIST=${dir ?? ''} (see test/weapp/global-setup.ts)`);
  return dir;
}

export interface WaitOptions {
  timeoutMs?: number;
}

export class Weapp {
  /** A promise the app rejected without handling it (WeChat: App.onUnhandledRejection). */
  private readonly onRejection = (reason: unknown) => this.rt.reportError('unhandled rejection', reason);

  private constructor(
    readonly rt: WeappRuntime,
    readonly wx: WxHarness,
    readonly templates: Templates,
    readonly user: { openid: string; token: string },
  ) {
    process.on('unhandledRejection', this.onRejection);
  }

  /** Signs `account` in on the local cloud (the phone's WeChat user) and loads the app. Launch with `launch()`. */
  static async open(cloud: LocalCloud, account: string, { distDir = weappDist(), password }: { distDir?: string; password?: string } = {}): Promise<Weapp> {
    // Staff accounts of the local cloud need their password: that stands for their WeChat account being bound as staff.
    const user = await signIn(cloud.url, account, password);
    let wx: WxHarness | undefined;
    const rt = new WeappRuntime({
      distDir,
      createWx: (r) => (wx = createWx(r, cloud, user)).wx,
      globals: { __wxConfig: { envVersion: 'release', platform: 'ios', accountInfo: { appId: 'wxlocal0000000000' } } },
      verbose: process.env.WEAPP_HARNESS_VERBOSE === '1',
    });
    return new Weapp(rt, wx!, new Templates(distDir), user);
  }

  /** Opens the app at `entry`, a page path with its query (`pages/invite/index?code=…` from a shared card). */
  launch(entry = 'pages/index/index'): this {
    const { route, query } = this.rt.parseUrl(entry.startsWith('/') ? entry : `/${entry}`);
    this.rt.launch(route, query);
    return this;
  }

  /**
   * Taps a `<button open-type="share">` (found by its text) and returns the card WeChat would
   * send: the page's onShareAppMessage({from: 'button', target}) — what the friend's phone opens.
   */
  async share(text: string): Promise<{ title?: string; path?: string }> {
    const view = this.page;
    const label = view.all((n) => view.readable(n) === text);
    const button = label.map((l) => [...l.path, l.node].reverse().find((a) => view.tagOf(a) === 'button')).find(Boolean);
    if (!button || view.attr(button, 'open-type') !== 'share') throw new Error(`no share button ${text} on ${this.route}: ${view.text}`);
    view.dispatch(button, 'tap', { x: 100, y: 200 }, true);
    const page = this.rt.currentPage;
    if (typeof page.onShareAppMessage !== 'function') throw new Error(`${this.route} does not handle onShareAppMessage (enableShareAppMessage missing?)`);
    const target = this.rt.toContext({ id: button.uid ?? button.sid, dataset: { sid: button.sid }, offsetLeft: 0, offsetTop: 0 });
    const card = await this.rt.guard('onShareAppMessage', () => page.onShareAppMessage.call(page, this.rt.toContext({ from: 'button', target })));
    await this.settle();
    return (card ?? {}) as { title?: string; path?: string };
  }

  get page(): PageView {
    return this.view(this.rt.currentPage);
  }

  view(page: PageInstance): PageView {
    return new PageView(this.rt, this.templates, page);
  }

  get route(): string {
    return this.rt.currentPage.route;
  }

  /** Polls until `check` returns a value other than false/undefined/null (or throws the last failure). */
  async waitFor<T>(what: string, check: () => T | false | null | undefined, { timeoutMs = 10_000 }: WaitOptions = {}): Promise<T> {
    const end = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      // Code generation from strings breaks the app on a phone: no point waiting for the page.
      if (this.rt.codegenAttempts.length) throw new Error(`the app tried to generate code from strings while waiting for ${what}\n${this.diagnostics()}`);
      try {
        const v = check();
        if (v !== false && v !== null && v !== undefined) {
          this.record();
          return v;
        }
        last = undefined;
      } catch (e) {
        last = e;
      }
      if (Date.now() > end) {
        const where = this.rt.stack.length ? `${this.route}: ${this.page.text}` : 'no page';
        throw new Error(`timed out waiting for ${what}${last ? ` (${(last as Error).message})` : ''}\n  page ${where}\n${this.diagnostics()}`);
      }
      await new Promise((r) => setTimeout(r, 15));
    }
  }

  /** Waits for `text` on the current page, the page being `route` when given. */
  async waitForText(text: string | RegExp, route?: string, opts?: WaitOptions): Promise<PageView> {
    return this.waitFor(`${String(text)}${route ? ` on ${route}` : ''}`, () => (!route || this.route === route) && this.page.hasText(text) && this.page, opts);
  }

  /**
   * Lets the app finish reacting, as a person's next touch always comes later: until nothing is
   * scheduled to run right away, no wx call is in flight and the page has not re-rendered for a
   * little while.
   */
  async settle(quietMs = 40, timeoutMs = 15_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    await new Promise((r) => setTimeout(r, quietMs));
    while (this.rt.busy || this.wx.inFlight() > 0 || Date.now() - this.rt.lastRenderAt < quietMs) {
      if (Date.now() > end) throw new Error(`the app did not settle in ${timeoutMs} ms\n${this.diagnostics()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    this.record();
  }

  /** Every screen the person has seen (route and text), for checks across the whole journey. */
  readonly screens: string[] = [];

  /** Elements the app rendered that WeChat cannot show (no template in base.wxml, e.g. an HTML `<a>`), by page. */
  readonly unrenderable = new Set<string>();

  private record(): void {
    if (!this.rt.stack.length) return;
    const screen = `${this.route}: ${this.page.text}`;
    if (this.screens[this.screens.length - 1] !== screen) this.screens.push(screen);
    for (const nn of this.page.unrenderable()) this.unrenderable.add(`${this.route}: <${nn}>`);
  }

  /** Taps the element showing `text` (or the given element) on the current page, then settles. */
  async tap(text: Parameters<PageView['tap']>[0], within?: Parameters<PageView['tap']>[1]): Promise<void> {
    this.page.tap(text, within);
    await this.settle();
  }

  /** The navigation bar's back arrow (or Android's back key), `times` times. */
  async back(times = 1): Promise<void> {
    for (let i = 0; i < times; i++) {
      this.rt.navigateBack(1);
      await this.settle();
    }
  }

  /** Types into the input with that placeholder, then settles. */
  async type(placeholder: string, value: string): Promise<void> {
    this.page.type(placeholder, value);
    await this.settle();
  }

  /** What went wrong inside the app: errors, console errors, code-generation attempts, unknown wx APIs. */
  diagnostics(): string {
    const lines = [
      ...this.rt.codegenAttempts.map((a) => `  code generation: ${a}`),
      ...this.rt.errors.map((e) => `  error: ${String((e as Error)?.stack ?? e).split('\n').slice(0, 4).join(' | ')}`),
      ...this.rt.logs.filter((l) => l.level === 'error' || l.level === 'warn').slice(-8).map((l) => `  console.${l.level}: ${l.text.slice(0, 400)}`),
      ...this.wx.calls.filter((c) => c.failed).slice(-5).map((c) => `  wx.${c.api} failed: ${c.failed}`),
      ...(this.wx.unknownApis.size ? [`  wx APIs read but not provided: ${[...this.wx.unknownApis].join(', ')}`] : []),
    ];
    return lines.join('\n');
  }

  close(): void {
    this.rt.dispose();
    process.off('unhandledRejection', this.onRejection);
  }
}

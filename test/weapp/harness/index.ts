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
  static async open(cloud: LocalCloud, account: string, distDir = weappDist()): Promise<Weapp> {
    const user = await signIn(cloud.url, account);
    let wx: WxHarness | undefined;
    const rt = new WeappRuntime({
      distDir,
      createWx: (r) => (wx = createWx(r, cloud, user)).wx,
      globals: { __wxConfig: { envVersion: 'release', platform: 'ios', accountInfo: { appId: 'wxlocal0000000000' } } },
      verbose: process.env.WEAPP_HARNESS_VERBOSE === '1',
    });
    return new Weapp(rt, wx!, new Templates(distDir), user);
  }

  launch(entry = 'pages/index/index'): this {
    this.rt.launch(entry);
    return this;
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

  private record(): void {
    if (!this.rt.stack.length) return;
    const screen = `${this.route}: ${this.page.text}`;
    if (this.screens[this.screens.length - 1] !== screen) this.screens.push(screen);
  }

  /** Taps the element showing `text` (or the given element) on the current page, then settles. */
  async tap(text: Parameters<PageView['tap']>[0], within?: Parameters<PageView['tap']>[1]): Promise<void> {
    this.page.tap(text, within);
    await this.settle();
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

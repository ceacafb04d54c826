/**
 * A Node stand-in for WeChat's logic layer, running the built mini-program (dist/weapp) as is.
 *
 * Why not miniprogram-simulate / j-component: they render one custom component from its
 * WXML/JS, with their own template engine. Taro's output is one generic recursive template
 * (base.wxml) fed by a data tree that the React runtime sends through `Page.setData`; the
 * logic (React, NutUI, the services, zod) all runs in the logic layer. So the faithful and
 * smaller thing is to run the logic layer — app.js, common/vendors/taro/runtime chunks, the page
 * files — and to read the data tree the render layer would receive. What base.wxml decides
 * (which node types bind which events) is read from the build itself (see tree.ts).
 *
 * What it provides, as WeChat does: one global context without Node or browser globals, a
 * `wx` object (wx.ts), App/Page/Component/getApp/getCurrentPages, WeChat's module `require`
 * (relative to the requiring file, each file run once in the same context, browser globals
 * shadowed), timers, and no code generation from strings: the context refuses it
 * (`codeGeneration.strings: false`) and `Function`/`eval` are replaced by functions that
 * record the attempt and return undefined — WeChat's behaviour, under which zod's compiled
 * validators fail with "factory is not a function" ("n is not a function" once minified). Tests
 * assert no attempt was recorded.
 */
import { readFileSync, existsSync } from 'fs';
import { posix, join } from 'path';
import vm from 'vm';

/** Browser globals WeChat's module wrapper shadows (they are undefined in every file). */
const SHADOWED = [
  'window', 'document', 'frames', 'self', 'location', 'navigator', 'localStorage', 'history', 'Caches',
  'screen', 'alert', 'confirm', 'prompt', 'XMLHttpRequest', 'WebSocket', 'Reporter', 'webkit', 'WeixinJSCore',
];

export type AnyFn = (...args: any[]) => any;

export interface PageInstance {
  route: string;
  __route__: string;
  options: Record<string, string>;
  data: Record<string, any>;
  setData(data: Record<string, unknown>, cb?: () => void): void;
  /** Times setData was called on this page (the render layer's updates). */
  __renders: number;
  __ready: boolean;
  __unloaded: boolean;
  [key: string]: any;
}

export interface RuntimeOptions {
  distDir: string;
  /** Builds the `wx` object once the runtime exists (it needs the runtime for navigation). */
  createWx: (rt: WeappRuntime) => Record<string, unknown>;
  /** Extra globals WeChat has (e.g. `__wxConfig`). */
  globals?: Record<string, unknown>;
  /** Echo the app's console to the test output. */
  verbose?: boolean;
}

export interface LogEntry {
  level: string;
  text: string;
}

export class WeappRuntime {
  readonly distDir: string;
  readonly context: vm.Context;
  readonly wx: Record<string, any>;
  /** Every attempt at code generation from strings (`Function(...)`, `new Function`, `eval`). */
  readonly codegenAttempts: string[] = [];
  /** Errors thrown out of timers, lifecycles or event handlers (WeChat's App.onError). */
  readonly errors: unknown[] = [];
  readonly logs: LogEntry[] = [];
  readonly stack: PageInstance[] = [];
  app: Record<string, any> | null = null;
  /** When the last setData arrived (ms since epoch). */
  lastRenderAt = 0;
  /** The largest setData payload (bytes of JSON): WeChat refuses above 1 MB and warns above 256 KB. */
  largestSetData = 0;

  private readonly modules = new Map<string, { exports: unknown }>();
  private readonly pageConfigs = new Map<string, Record<string, any>>();
  private readonly componentConfigs = new Map<string, Record<string, any>>();
  private loading: string[] = [];
  private readonly timers = new Map<number, NodeJS.Timeout>();
  /** One-shot timers due within 100 ms: React's scheduler and Taro's updates run on these. */
  private readonly soonTimers = new Set<number>();
  private nextTimer = 1;
  private readonly ctxJson: { parse(s: string): any; stringify(v: unknown): string };
  private readonly verbose: boolean;

  constructor(opts: RuntimeOptions) {
    this.distDir = opts.distDir;
    this.verbose = !!opts.verbose;
    const sandbox: Record<string, unknown> = {};
    this.context = vm.createContext(sandbox, { name: 'weapp-logic-layer', codeGeneration: { strings: false, wasm: false } });
    this.ctxJson = vm.runInContext('JSON', this.context);

    const g = (name: string, value: unknown) =>
      Object.defineProperty(sandbox, name, { value, writable: true, configurable: true, enumerable: false });

    // WeChat's answer to code generation: the attempt returns undefined (it does not throw, so
    // fallbacks that catch an exception never run). Recorded so the test fails.
    const record = (kind: string) => (...args: unknown[]) => {
      const body = String(args.length ? args[args.length - 1] : '');
      this.codegenAttempts.push(`${kind}(${JSON.stringify(body.length > 120 ? `${body.slice(0, 120)}…` : body)})`);
      return undefined;
    };
    vm.runInContext(
      `(function (recordFunction, recordEval) {
        var RealFunction = globalThis.Function;
        var Fake = function Function() { return recordFunction.apply(undefined, arguments); };
        Fake.prototype = RealFunction.prototype;
        Object.defineProperty(RealFunction.prototype, 'constructor', { value: Fake, writable: true, configurable: true });
        globalThis.Function = Fake;
        globalThis.eval = function eval() { return recordEval.apply(undefined, arguments); };
      })`,
      this.context,
    )(record('Function'), record('eval'));

    const console = {
      log: (...a: unknown[]) => this.log('log', a),
      info: (...a: unknown[]) => this.log('info', a),
      debug: (...a: unknown[]) => this.log('debug', a),
      warn: (...a: unknown[]) => this.log('warn', a),
      error: (...a: unknown[]) => this.log('error', a),
      group: () => undefined,
      groupEnd: () => undefined,
      time: () => undefined,
      timeEnd: () => undefined,
    };
    g('console', console);
    g('setTimeout', (fn: AnyFn, ms?: number, ...args: unknown[]) => this.setTimer(fn, ms ?? 0, args, false));
    g('setInterval', (fn: AnyFn, ms?: number, ...args: unknown[]) => this.setTimer(fn, ms ?? 0, args, true));
    g('clearTimeout', (id: number) => this.clearTimer(id));
    g('clearInterval', (id: number) => this.clearTimer(id));
    // WeChat's `global` is its own object, not the global scope: what is stored on it is not a global variable.
    g('global', vm.runInContext('({})', this.context));
    g('App', (config: Record<string, any>) => this.registerApp(config));
    g('Page', (config: Record<string, any>) => this.registerPage(config));
    g('Component', (config: Record<string, any>) => this.registerComponent(config));
    g('Behavior', (config: unknown) => config);
    g('getApp', () => this.app);
    g('getCurrentPages', () => this.toContext<PageInstance[]>([]).concat(this.stack));
    for (const [k, v] of Object.entries(opts.globals ?? {})) g(k, v);
    this.wx = opts.createWx(this);
    g('wx', this.wx);
  }

  // ---------------------------------------------------------------- values across realms

  /** A JSON value rebuilt in the app's realm (what a WeChat API hands to the app). */
  toContext<T>(value: T): T {
    if (value === undefined) return value;
    return this.ctxJson.parse(JSON.stringify(value));
  }

  /** An Error made in the app's realm. */
  contextError(message: string): Error {
    return vm.runInContext('(function (m) { return new Error(m); })', this.context)(message);
  }

  // ---------------------------------------------------------------- logs, errors, timers

  private log(level: string, args: unknown[]): void {
    const text = args
      .map((a) => {
        if (a instanceof Error || (a && typeof a === 'object' && 'stack' in (a as object) && 'message' in (a as object))) {
          return String((a as Error).stack ?? (a as Error).message);
        }
        if (typeof a === 'string') return a;
        try {
          return JSON.stringify(a);
        } catch {
          return String(a);
        }
      })
      .join(' ');
    this.logs.push({ level, text });
    if (this.verbose) process.stdout.write(`[weapp ${level}] ${text}\n`);
  }

  /** Runs app code the way WeChat does: a throw is reported (App.onError), not propagated. */
  guard<T>(what: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      this.reportError(what, e);
      return undefined;
    }
  }

  reportError(what: string, e: unknown): void {
    this.errors.push(e);
    this.log('error', [`[${what}]`, e]);
    this.app?.onError?.call(this.app, String((e as Error)?.stack ?? e));
  }

  private setTimer(fn: AnyFn, ms: number, args: unknown[], repeat: boolean): number {
    const id = this.nextTimer++;
    if (typeof fn !== 'function') return id; // WeChat ignores string timers (no code generation)
    const run = () => {
      if (!repeat) this.timers.delete(id);
      try {
        this.guard('timer', () => fn(...args));
      } finally {
        if (!repeat) this.soonTimers.delete(id);
      }
    };
    if (!repeat && ms <= 100) this.soonTimers.add(id);
    this.timers.set(id, repeat ? setInterval(run, ms) : setTimeout(run, ms));
    return id;
  }

  private clearTimer(id: number): void {
    this.soonTimers.delete(id);
    const t = this.timers.get(id);
    if (t) {
      clearTimeout(t);
      clearInterval(t);
      this.timers.delete(id);
    }
  }

  /** Work the app has scheduled to run right away (a render, an effect, a state update). */
  get busy(): boolean {
    return this.soonTimers.size > 0;
  }

  /** Stops every timer the app left running (polling loops, NutUI animations). */
  dispose(): void {
    for (const id of [...this.timers.keys()]) this.clearTimer(id);
  }

  // ---------------------------------------------------------------- modules

  /** WeChat's require: `request` relative to the requiring file (or absolute from the root). */
  require(from: string, request: string): unknown {
    let path = request.startsWith('/') ? request.slice(1) : posix.join(posix.dirname(from), request);
    path = posix.normalize(path);
    if (!path.endsWith('.js')) path += '.js';
    const cached = this.modules.get(path);
    if (cached) return cached.exports;
    const file = join(this.distDir, path);
    if (!existsSync(file)) throw this.contextError(`module "${path}" is not defined`);
    const module = { exports: vm.runInContext('({})', this.context) as unknown };
    this.modules.set(path, module);
    const source = readFileSync(file, 'utf8');
    const wrapper = new vm.Script(`(function (require, module, exports, ${SHADOWED.join(', ')}) {${source}\n})`, { filename: join(this.distDir, path) });
    const fn = wrapper.runInContext(this.context) as AnyFn;
    this.loading.push(path.replace(/\.js$/, ''));
    try {
      fn.call(module.exports, (r: string) => this.require(path, r), module, module.exports);
    } finally {
      this.loading.pop();
    }
    return module.exports;
  }

  // ---------------------------------------------------------------- registration

  private registerApp(config: Record<string, any>): void {
    if (this.app) throw this.contextError('App() called twice');
    // The app instance carries the config's fields (WeChat copies them onto the instance).
    this.app = Object.assign(vm.runInContext('({})', this.context), config);
  }

  private registerPage(config: Record<string, any>): void {
    const route = this.loading[this.loading.length - 1];
    if (!route) throw this.contextError('Page() called outside a page file');
    this.pageConfigs.set(route, config);
  }

  private registerComponent(config: Record<string, any>): void {
    const path = this.loading[this.loading.length - 1];
    if (path) this.componentConfigs.set(path, config);
  }

  /** Loads app.js and runs App.onLaunch / onShow with the entry page's launch options. */
  launch(entry = 'pages/index/index', query: Record<string, string> = {}): void {
    this.require('', '/app.js');
    if (!this.app) throw new Error('app.js did not call App()');
    // 1001: opened from the chat list's mini-program entry; 1007: from a shared card with a query.
    const options = this.toContext({ path: entry, query, scene: Object.keys(query).length ? 1007 : 1001, referrerInfo: {} });
    this.guard('App.onLaunch', () => this.app!.onLaunch?.call(this.app, options));
    this.guard('App.onShow', () => this.app!.onShow?.call(this.app, options));
    this.openPage(entry, query);
  }

  // ---------------------------------------------------------------- pages and navigation

  get currentPage(): PageInstance {
    const p = this.stack[this.stack.length - 1];
    if (!p) throw new Error('no page is open');
    return p;
  }

  /** `/pages/x/index?a=1` or a path relative to the current page → route and query (raw, as WeChat passes it). */
  parseUrl(url: string): { route: string; query: Record<string, string> } {
    const [rawPath, rawQuery = ''] = url.split('?');
    let route = rawPath.startsWith('/')
      ? rawPath.slice(1)
      : posix.normalize(posix.join(posix.dirname(this.stack.length ? this.currentPage.route : ''), rawPath));
    route = route.replace(/\.js$/, '');
    const query: Record<string, string> = {};
    for (const pair of rawQuery.split('&')) {
      if (!pair) continue;
      const i = pair.indexOf('=');
      query[i < 0 ? pair : pair.slice(0, i)] = i < 0 ? '' : pair.slice(i + 1);
    }
    return { route, query };
  }

  hasPage(route: string): boolean {
    const config = JSON.parse(readFileSync(join(this.distDir, 'app.json'), 'utf8')) as { pages: string[]; subPackages?: { root: string; pages: string[] }[] };
    const all = [...config.pages, ...(config.subPackages ?? []).flatMap((s) => s.pages.map((p) => posix.join(s.root, p)))];
    return all.includes(route);
  }

  /** Loads the custom components a page or component declares (usingComponents), as WeChat does before it. */
  private loadComponents(path: string, seen = new Set<string>()): void {
    const json = join(this.distDir, `${path}.json`);
    if (seen.has(path) || !existsSync(json)) return;
    seen.add(path);
    const using = (JSON.parse(readFileSync(json, 'utf8')).usingComponents ?? {}) as Record<string, string>;
    for (const ref of Object.values(using)) {
      if (ref.startsWith('plugin://')) continue;
      const target = ref.startsWith('/') ? ref.slice(1) : posix.normalize(posix.join(posix.dirname(path), ref));
      if (!this.componentConfigs.has(target)) this.require('', `/${target}.js`);
      if (!this.componentConfigs.has(target)) throw new Error(`${target}.js did not call Component()`);
      this.loadComponents(target, seen);
    }
  }

  private pageConfig(route: string): Record<string, any> {
    if (!this.pageConfigs.has(route)) {
      this.loadComponents(route);
      this.require('', `/${route}.js`);
    }
    const config = this.pageConfigs.get(route);
    if (!config) throw new Error(`${route}.js did not call Page()`);
    return config;
  }

  /** Creates the page instance and runs onLoad → onShow; onReady follows its first render. */
  openPage(route: string, query: Record<string, string>): PageInstance {
    const config = this.pageConfig(route);
    const rt = this;
    const page = Object.assign(vm.runInContext('({})', this.context), config) as PageInstance;
    Object.assign(page, {
      route,
      __route__: route,
      options: this.toContext(query),
      data: this.toContext(config.data ?? {}),
      __renders: 0,
      __ready: false,
      __unloaded: false,
      setData(this: PageInstance, data: Record<string, unknown>, cb?: () => void) {
        rt.largestSetData = Math.max(rt.largestSetData, Buffer.byteLength(JSON.stringify(data)));
        rt.applySetData(this, data);
        this.__renders++;
        rt.lastRenderAt = Date.now();
        // The render layer answers asynchronously; onReady follows the first render.
        rt.setTimer(() => {
          if (typeof cb === 'function') cb.call(this);
          if (!this.__ready && !this.__unloaded) {
            this.__ready = true;
            rt.guard(`${route} onReady`, () => this.onReady?.call(this));
          }
        }, 0, [], false);
      },
      getOpenerEventChannel: () => ({ emit: () => undefined, on: () => undefined, once: () => undefined, off: () => undefined }),
      selectComponent: () => null,
      selectAllComponents: () => this.toContext([]),
      createSelectorQuery: () => (this.wx.createSelectorQuery as AnyFn)(),
      getPageId: () => `pageId:${route}`,
    });
    this.stack.push(page);
    this.guard(`${route} onLoad`, () => page.onLoad?.call(page, page.options));
    this.guard(`${route} onShow`, () => page.onShow?.call(page));
    return page;
  }

  private hide(page: PageInstance | undefined): void {
    if (page) this.guard(`${page.route} onHide`, () => page.onHide?.call(page));
  }

  private unload(page: PageInstance | undefined): void {
    if (!page) return;
    page.__unloaded = true;
    this.guard(`${page.route} onUnload`, () => page.onUnload?.call(page));
  }

  navigateTo(url: string): void {
    const { route, query } = this.parseUrl(url);
    if (!this.hasPage(route)) throw new Error(`navigateTo:fail page "${route}" is not found`);
    if (this.stack.length >= 10) throw new Error('navigateTo:fail webview count limit exceed');
    this.hide(this.stack[this.stack.length - 1]);
    this.openPage(route, query);
  }

  redirectTo(url: string): void {
    const { route, query } = this.parseUrl(url);
    if (!this.hasPage(route)) throw new Error(`redirectTo:fail page "${route}" is not found`);
    this.unload(this.stack.pop());
    this.openPage(route, query);
  }

  reLaunch(url: string): void {
    const { route, query } = this.parseUrl(url);
    if (!this.hasPage(route)) throw new Error(`reLaunch:fail page "${route}" is not found`);
    while (this.stack.length) this.unload(this.stack.pop());
    this.openPage(route, query);
  }

  navigateBack(delta = 1): void {
    if (this.stack.length <= 1) throw new Error('navigateBack:fail cannot navigate back at first page.');
    const n = Math.min(Math.max(1, delta), this.stack.length - 1);
    for (let i = 0; i < n; i++) this.unload(this.stack.pop());
    const top = this.stack[this.stack.length - 1];
    if (top) this.guard(`${top.route} onShow`, () => top.onShow?.call(top));
  }

  // ---------------------------------------------------------------- setData

  /** WeChat's setData paths: `a.b`, `a[0]`, and Taro's `root.cn.[0].cn.[2]`. */
  private applySetData(page: PageInstance, data: Record<string, unknown>): void {
    for (const [key, raw] of Object.entries(data)) {
      if (raw === undefined) continue; // WeChat drops undefined (with a warning)
      const value = JSON.parse(JSON.stringify(raw));
      const tokens: (string | number)[] = [];
      key.replace(/\[(\d+)\]|([^.[\]]+)/g, (_m, index: string | undefined, name: string | undefined) => {
        tokens.push(index !== undefined ? Number(index) : name!);
        return '';
      });
      let target: any = page.data;
      for (let i = 0; i < tokens.length - 1; i++) {
        const t = tokens[i];
        if (target[t] === null || typeof target[t] !== 'object') target[t] = typeof tokens[i + 1] === 'number' ? [] : {};
        target = target[t];
      }
      target[tokens[tokens.length - 1]] = value;
    }
  }
}

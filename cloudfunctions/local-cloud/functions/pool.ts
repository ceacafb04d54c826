/**
 * Runs the bundled functions. Each function gets a small pool of reusable worker
 * processes; a worker runs one invocation at a time (the caller's identity is in
 * process.env, so two callers must never share a process at the same time).
 * Timeout: the function's config.json `timeout` (60 s, the cloud's maximum, without one); a
 * crash or timeout becomes an error reply and the worker is replaced.
 */
import { AsyncLocalStorage } from 'async_hooks';
import { ChildProcess, fork } from 'child_process';
import { randomBytes } from 'crypto';
import { existsSync, readFileSync, statSync } from 'fs';
import { join } from 'path';

export const FUNCTION_TIMEOUT_MS = 60_000;
const RUNNER = join(__dirname, 'runner.cjs');
const NAME_RE = /^[A-Za-z0-9_-]{1,60}$/;

export interface Caller {
  openid?: string;
  appid?: string;
  unionid?: string;
  clientIp?: string;
  source?: string;
}

export type InvokeResult = { ok: true; result: unknown } | { ok: false; kind: 'error' | 'crash' | 'timeout'; message: string };

interface Job {
  id: string;
  file: string;
  event: unknown;
  env: Record<string, string>;
  context: Record<string, unknown>;
  resolve: (r: InvokeResult) => void;
}

class Worker {
  proc: ChildProcess;
  busy: Job | undefined;
  ready: Promise<void>;
  private timer: NodeJS.Timeout | undefined;
  dead = false;

  constructor(env: NodeJS.ProcessEnv, onExit: (w: Worker) => void) {
    this.proc = fork(RUNNER, [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    this.ready = new Promise((resolve) => {
      const onMsg = (m: any) => {
        if (m?.type === 'ready') {
          this.proc.off('message', onMsg);
          resolve();
        }
      };
      this.proc.on('message', onMsg);
      this.proc.once('exit', () => resolve());
    });
    this.proc.on('message', (m: any) => {
      if (m?.type !== 'result' || !this.busy || m.id !== this.busy.id) return;
      this.finish(m.ok ? { ok: true, result: m.result } : { ok: false, kind: m.kind === 'crash' ? 'crash' : 'error', message: String(m.message ?? '') });
    });
    this.proc.once('exit', () => {
      this.dead = true;
      this.finish({ ok: false, kind: 'crash', message: 'function process exited' });
      onExit(this);
    });
  }

  async run(job: Job, timeoutMs: number): Promise<void> {
    this.busy = job;
    await this.ready;
    if (this.dead) return;
    this.timer = setTimeout(() => {
      this.finish({ ok: false, kind: 'timeout', message: `function timed out after ${timeoutMs} ms` });
      this.kill();
    }, timeoutMs);
    try {
      this.proc.send({ type: 'invoke', id: job.id, file: job.file, event: job.event, env: job.env, context: job.context });
    } catch {
      // An event the IPC channel cannot serialise (a cycle, a stack-deep nesting) fails this call, not the local cloud.
      this.finish({ ok: false, kind: 'error', message: 'event cannot be sent to the function' });
    }
  }

  private finish(r: InvokeResult): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const job = this.busy;
    this.busy = undefined;
    job?.resolve(r);
  }

  kill(): void {
    this.dead = true;
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
  }
}

class Pool {
  private workers: Worker[] = [];
  private queue: Job[] = [];

  constructor(
    private readonly env: () => NodeJS.ProcessEnv,
    private readonly size: number,
    private readonly timeoutMs: number,
    private readonly onIdle: (p: Pool) => void,
  ) {}

  submit(job: Job): void {
    this.queue.push(job);
    this.pump();
  }

  private pump(): void {
    while (this.queue.length) {
      let w = this.workers.find((x) => !x.busy && !x.dead);
      if (!w && this.workers.length < this.size) {
        w = new Worker(this.env(), (dead) => {
          this.workers = this.workers.filter((x) => x !== dead);
          this.pump();
        });
        this.workers.push(w);
      }
      if (!w) return;
      const job = this.queue.shift()!;
      const original = job.resolve;
      job.resolve = (r) => {
        original(r);
        setImmediate(() => this.pump());
      };
      void w.run(job, this.timeoutMs);
    }
  }

  close(): void {
    for (const w of this.workers) w.kill();
    for (const j of this.queue.splice(0)) j.resolve({ ok: false, kind: 'crash', message: 'local cloud stopped' });
    this.workers = [];
  }
}

/** A function's module as `require` returns it. */
export interface FunctionModule {
  main?: (event: unknown, context: unknown) => unknown;
  default?: { main?: (event: unknown, context: unknown) => unknown };
}

/**
 * The environment each in-process invocation sees as process.env. One view over process.env is
 * installed once per process (per jest test file): inside an invocation's async context it is that
 * invocation's env only (what a worker process would hold), outside it the process's own env,
 * which therefore never sees a caller's WX_OPENID. Invocations can then overlap (a refund's
 * notification while the refunding call still runs) as they do with worker processes.
 */
const ENV_VIEW = Symbol.for('local-cloud.invocation-env');
function invocationEnv(): AsyncLocalStorage<Record<string, string>> {
  const g = globalThis as unknown as Record<symbol, AsyncLocalStorage<Record<string, string>> | undefined>;
  const existing = g[ENV_VIEW];
  if (existing) return existing;
  const als = new AsyncLocalStorage<Record<string, string>>();
  g[ENV_VIEW] = als;
  const own = process.env;
  const target = () => als.getStore() ?? own;
  process.env = new Proxy(own, {
    get: (_t, k) => (typeof k === 'string' ? target()[k] : undefined),
    set: (_t, k, v) => {
      if (typeof k === 'string') target()[k] = String(v);
      return true;
    },
    has: (_t, k) => typeof k === 'string' && k in target(),
    deleteProperty: (_t, k) => (typeof k === 'string' ? delete target()[k] : true),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_t, k) => {
      const env = target();
      return typeof k === 'string' && k in env ? { value: env[k], writable: true, enumerable: true, configurable: true } : undefined;
    },
  });
  return als;
}

/**
 * Runs functions inside this process instead of worker processes: mutation testing only
 * (test/mutation/in-process-functions.js), where Stryker's per-test coverage must see the domain
 * code run. Each invocation gets its env as a worker would (runner.cjs), its event and reply
 * pass through JSON as over the IPC channel, and a timeout answers without stopping the code.
 */
class InProcess {
  /** Each function's module, with the cold start it was loaded for (an earlier one is dropped). */
  private modules = new Map<string, { coldStart: string; mod: FunctionModule }>();

  constructor(private readonly load: InProcessLoader) {}

  async run(name: string, job: Job, baseEnv: Record<string, string>, timeoutMs: number): Promise<InvokeResult> {
    const als = invocationEnv();
    const coldStart = this.load.coldStartKey?.() ?? '';
    const loaded = this.modules.get(name);
    let mod = loaded?.coldStart === coldStart ? loaded.mod : undefined;
    try {
      // Loaded outside the timeout: compiling the sources (instrumented by Stryker) takes far
      // longer than loading a bundle, and would fail a function's first call with a short timeout.
      mod ??= als.run({ ...baseEnv, ...job.env }, () => this.load(name));
      this.modules.set(name, { coldStart, mod });
    } catch (err) {
      return { ok: false, kind: 'crash', message: String((err as Error)?.message ?? err).slice(0, 2000) };
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<InvokeResult>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, kind: 'timeout', message: `function timed out after ${timeoutMs} ms` }), timeoutMs);
    });
    const call = als.run({ ...baseEnv, ...job.env }, async (): Promise<InvokeResult> => {
      try {
        const main = mod.main ?? mod.default?.main;
        if (typeof main !== 'function') throw new Error('function does not export main');
        const result = await main(JSON.parse(JSON.stringify(job.event ?? null)), job.context);
        return { ok: true, result: result === undefined ? null : JSON.parse(JSON.stringify(result)) };
      } catch (err) {
        return { ok: false, kind: 'error', message: String((err as Error)?.message ?? err).slice(0, 2000) };
      }
    });
    try {
      return await Promise.race([call, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

export interface FunctionRunnerOptions {
  functionsDir: string;
  baseEnv: () => Record<string, string>;
  poolSize?: number;
  timeoutMs?: number;
  /** Mutation testing only: load each function with this and run it in this process (InProcess). */
  loadInProcess?: InProcessLoader;
}

/**
 * Loads a function's module for InProcess. `coldStartKey`, when given, names the current cold
 * start: a function is loaded again (a fresh worker) whenever it changes, and kept while it stays.
 */
export type InProcessLoader = ((name: string) => FunctionModule) & { coldStartKey?: () => string };

export class FunctionRunner {
  private pools = new Map<string, Pool>();
  private closed = false;
  private readonly inProcess: InProcess | undefined;

  constructor(private readonly opts: FunctionRunnerOptions) {
    this.inProcess = opts.loadInProcess ? new InProcess(opts.loadInProcess) : undefined;
  }

  entry(name: string): string | undefined {
    if (!NAME_RE.test(name)) return undefined;
    const file = join(this.opts.functionsDir, name, 'index.js');
    try {
      return existsSync(file) && statSync(file).isFile() ? file : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The function's own timeout from its deployed config.json (as configured in the cloud), so
   * a function that outgrows it fails here too; an explicit option overrides it for all.
   */
  timeoutOf(name: string): number {
    if (this.opts.timeoutMs !== undefined) return this.opts.timeoutMs;
    try {
      const seconds = JSON.parse(readFileSync(join(this.opts.functionsDir, name, 'config.json'), 'utf8')).timeout;
      if (Number.isInteger(seconds) && seconds >= 1 && seconds <= 60) return seconds * 1000;
    } catch {
      // no config.json: the platform's maximum, as before
    }
    return FUNCTION_TIMEOUT_MS;
  }

  exists(name: string): boolean {
    return this.entry(name) !== undefined;
  }

  /** Invokes `name` with `event` as `caller`; `extraEnv` is this invocation's env. */
  invoke(name: string, event: unknown, caller: Caller, extraEnv: Record<string, string>): Promise<InvokeResult> {
    const file = this.entry(name);
    if (!file) return Promise.resolve({ ok: false, kind: 'error', message: `function ${name} not found` });
    if (this.closed) return Promise.resolve({ ok: false, kind: 'crash', message: 'local cloud stopped' });
    let pool = this.pools.get(name);
    const timeoutMs = this.timeoutOf(name);
    if (!pool && !this.inProcess) {
      const env = () => ({ ...this.opts.baseEnv(), FUNCTION_NAME: name, SCF_FUNCTIONNAME: name }) as NodeJS.ProcessEnv;
      pool = new Pool(env, this.opts.poolSize ?? 4, timeoutMs, () => undefined);
      this.pools.set(name, pool);
    }
    const requestId = randomBytes(16).toString('hex');
    const env: Record<string, string> = { ...extraEnv };
    if (caller.openid) env.WX_OPENID = caller.openid;
    if (caller.appid) env.WX_APPID = caller.appid;
    if (caller.unionid) env.WX_UNIONID = caller.unionid;
    if (caller.clientIp) env.WX_CLIENTIP = caller.clientIp;
    if (caller.source) env.TCB_SOURCE = caller.source;
    const context = {
      callbackWaitsForEmptyEventLoop: false,
      memory_limit_in_mb: 256,
      time_limit_in_ms: timeoutMs,
      request_id: requestId,
      function_name: name,
      function_version: '$LATEST',
      namespace: 'local',
    };
    if (this.inProcess) {
      const baseEnv = { ...this.opts.baseEnv(), FUNCTION_NAME: name, SCF_FUNCTIONNAME: name };
      return this.inProcess.run(name, { id: requestId, file, event, env, context, resolve: () => undefined }, baseEnv, timeoutMs);
    }
    return new Promise((resolve) => pool!.submit({ id: requestId, file, event, env, context, resolve }));
  }

  close(): void {
    this.closed = true;
    for (const p of this.pools.values()) p.close();
    this.pools.clear();
  }
}

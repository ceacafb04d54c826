/**
 * Runs the bundled functions. Each function gets a small pool of reusable worker
 * processes; a worker runs one invocation at a time (the caller's identity is in
 * process.env, so two callers must never share a process at the same time).
 * Timeout: the function's config.json `timeout` (60 s, the cloud's maximum, without one); a
 * crash or timeout becomes an error reply and the worker is replaced.
 */
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

export interface FunctionRunnerOptions {
  functionsDir: string;
  baseEnv: () => Record<string, string>;
  poolSize?: number;
  timeoutMs?: number;
}

export class FunctionRunner {
  private pools = new Map<string, Pool>();
  private closed = false;

  constructor(private readonly opts: FunctionRunnerOptions) {}

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
    if (!pool) {
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
    return new Promise((resolve) => pool!.submit({ id: requestId, file, event, env, context, resolve }));
  }

  close(): void {
    this.closed = true;
    for (const p of this.pools.values()) p.close();
    this.pools.clear();
  }
}

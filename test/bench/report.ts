/**
 * What `npm run bench` measured: figures with how each was taken, and budgets met or missed.
 * Every module of test/bench/ records here; run.ts prints one line per budget and writes
 * BENCHMARKS.md (machine, date, commit, then the figures by section).
 */
import { PerformanceObserver } from 'perf_hooks';
import { execSync } from 'child_process';
import { readdirSync, readFileSync, writeFileSync } from 'fs';
import os from 'os';

export interface Figure {
  section: string;
  name: string;
  /** The measurement, with its unit. */
  value: string;
  /** How it was taken (command, tool, conditions). */
  how: string;
  budget?: string;
  /** true met, false missed, null: the budget cannot be shown on this machine (see note). */
  ok?: boolean | null;
  note?: string;
}

export const figures: Figure[] = [];

export function record(f: Figure): void {
  figures.push(f);
  const verdict = f.budget ? (f.ok === true ? 'met' : f.ok === false ? 'MISSED' : 'not shown') : '';
  console.log(`[${f.section}] ${f.name}: ${f.value}${f.budget ? `  budget ${f.budget}: ${verdict}` : ''}${f.note ? `  (${f.note})` : ''}`);
}

export const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
export const ms = (n: number): string => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${n.toFixed(0)} ms`);

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))] : NaN;
}
export const median = (values: number[]): number => percentile(values, 0.5);

interface ProcessTable {
  children: Map<number, number[]>;
  /** Resident set size, bytes. */
  rss: Map<number, number>;
  /** CPU time used (user + system), ms. */
  cpuMs: Map<number, number>;
}

const PAGE_BYTES = 4096;
const TICK_MS = 10;

/**
 * Every process's parent, resident set size and CPU time, read from /proc (Linux); null where
 * there is no /proc. Read in this process, never through `ps`: `execSync` from the process that
 * holds the local cloud's database blocks its event loop while the shell and ps run (the
 * 2026-12-02 profiles: 19 s of 157 s in spawnSync at 100,000 people, 28 s of 354 s at 300,000,
 * 60–80 ms a sample every 0.5 s).
 */
function processTable(): ProcessTable | null {
  const table: ProcessTable = { children: new Map(), rss: new Map(), cpuMs: new Map() };
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited since the listing
    }
    // The fields after the command's closing parenthesis (the command may hold spaces): state,
    // ppid, … utime and stime (the 12th and 13th), … rss in pages (the 22nd).
    const rest = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    const pid = Number(entry);
    const ppid = Number(rest[1]);
    table.children.set(ppid, [...(table.children.get(ppid) ?? []), pid]);
    table.cpuMs.set(pid, (Number(rest[11]) + Number(rest[12])) * TICK_MS);
    table.rss.set(pid, Number(rest[21]) * PAGE_BYTES);
  }
  return table;
}

/** Descendant process ids of `pid` in a process table (the local cloud's function workers). */
function descendants(table: ProcessTable, pid: number): number[] {
  const out: number[] = [];
  const stack = [...(table.children.get(pid) ?? [])];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(table.children.get(p) ?? []));
  }
  return out;
}

/**
 * Resident set size of this process and every descendant (the local cloud's worker processes),
 * bytes; `childrenOnly`: the descendants only (the function instances, without the local cloud's
 * in-memory database, which holds the whole city by design).
 */
export function treeRss(pid: number = process.pid, childrenOnly = false, table = processTable()): number {
  if (!table) return process.memoryUsage().rss;
  const pids = childrenOnly ? descendants(table, pid) : [pid, ...descendants(table, pid)];
  return pids.reduce((sum, p) => sum + (table.rss.get(p) ?? 0), 0);
}

/**
 * Samples treeRss every `everyMs` until stopped; returns the peaks (whole tree, workers only),
 * this process's CPU time and the part of it garbage collection paused it (the local cloud and
 * its in-memory database run here), and the worker processes' CPU time (the functions' own work):
 * at a million documents, whether a job slows down because of its own work or because of the
 * local database's heap.
 */
export function memoryPeak(everyMs = 500): { stop(): { tree: number; workers: number; cpuMs: number; gcMs: number; workersCpuMs: number } } {
  let tree = treeRss();
  let workers = treeRss(process.pid, true);
  // The workers' CPU: each worker's last reading less what it had used when the run started (a
  // worker that exits between two samples loses at most one interval of its time).
  const workerCpu = new Map<number, { from: number; last: number }>();
  const sampleCpu = (table: ProcessTable | null, atStart: boolean) => {
    for (const pid of table ? descendants(table, process.pid) : []) {
      const ms = table!.cpuMs.get(pid);
      if (ms === undefined) continue;
      const seen = workerCpu.get(pid);
      if (seen) seen.last = ms;
      else workerCpu.set(pid, { from: atStart ? ms : 0, last: ms });
    }
  };
  sampleCpu(processTable(), true);
  // One reading of /proc a sample for the three figures.
  const sample = () => {
    const table = processTable();
    tree = Math.max(tree, treeRss(process.pid, false, table));
    workers = Math.max(workers, treeRss(process.pid, true, table));
    sampleCpu(table, false);
  };
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  const cpu = process.cpuUsage();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      gc.disconnect();
      const used = process.cpuUsage(cpu);
      const workersCpuMs = [...workerCpu.values()].reduce((sum, w) => sum + (w.last - w.from), 0);
      return { tree, workers, cpuMs: (used.user + used.system) / 1000, gcMs, workersCpuMs };
    },
  };
}

const git = (cmd: string) => {
  try {
    return execSync(cmd, { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
};

/**
 * The code measured: read when the run starts (a long run, such as bench:million, may end after
 * more commits have landed in the same working tree; those were not measured).
 */
const MEASURED = {
  commit: git('git rev-parse --short HEAD'),
  // BENCHMARKS.md itself is not code measured (an --update run follows an earlier one's file).
  dirty: git("git status --porcelain --untracked-files=no -- . ':!BENCHMARKS.md'") !== '',
  startedAt: new Date().toISOString(),
};

function machine(): string[] {
  let cpu = os.cpus()[0]?.model ?? '?';
  try {
    cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    /* not Linux */
  }
  return [
    `- Date: ${MEASURED.startedAt} to ${new Date().toISOString()}`,
    `- Commit: ${MEASURED.commit}${MEASURED.dirty ? ' (with uncommitted changes in the working tree)' : ''}, as the run started`,
    `- Machine: ${os.cpus().length} cores (\`nproc\`: ${git('nproc')}), ${cpu}; ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB memory; load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}`,
    `- Node ${process.version}, ${os.type()} ${os.release()}`,
  ];
}

/**
 * The arguments typed after `npm run <script> --`: npm appends them to the script's own, so
 * `bench:million` (`… run.ts --city 100000,1000000`) run with `-- --only city` has both in argv.
 * `script` is npm_lifecycle_script, the script's command line; without it every argument was typed.
 */
export function typedArguments(argv: string[], script: string | undefined): string[] {
  const words = (script ?? '').trim().split(/\s+/);
  const at = words.findIndex((w) => /(^|\/)run\.ts$/.test(w));
  const own = at >= 0 ? words.slice(at + 1) : [];
  return own.every((w, i) => argv[i] === w) ? argv.slice(own.length) : argv;
}

/** A section's table: heading, header row and one row per figure. */
function sectionLines(section: string): string[] {
  const lines = [`## ${section}`, '', '| Figure | Value | Budget | Verdict | How it was taken |', '|---|---|---|---|---|'];
  for (const f of figures.filter((x) => x.section === section)) {
    const verdict = f.budget ? (f.ok === true ? 'met' : f.ok === false ? '**missed**' : 'not shown here') : '';
    const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
    lines.push(`| ${cell(f.name)} | ${cell(f.value)} | ${cell(f.budget ?? '')} | ${verdict}${f.note ? ` — ${cell(f.note)}` : ''} | ${cell(f.how)} |`);
  }
  lines.push('');
  return lines;
}

const budgetLine = (f: (typeof figures)[number]) =>
  `- ${f.ok === true ? 'met' : f.ok === false ? '**MISSED**' : 'not shown on this machine'}: ${f.section} — ${f.name} (${f.value}; budget ${f.budget})${f.note ? `: ${f.note}` : ''}`;

export function writeMarkdown(file: string, command: string, notes: string[]): void {
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`${command}\` (test/bench/run.ts). Budgets live in the benchmark, not in unit tests; a missed budget makes the command exit 1.`,
    '',
    ...machine(),
    '',
    ...notes.map((n) => `> ${n}`),
    '',
  ];
  const sections = [...new Set(figures.map((f) => f.section))];
  for (const section of sections) lines.push(...sectionLines(section));
  lines.push('## Budgets', '', ...figures.filter((f) => f.budget).map(budgetLine), '');
  writeFileSync(file, lines.join('\n'));
}

/**
 * `--update`: the sections measured in this run replace their namesakes in an existing
 * BENCHMARKS.md, and their lines in its budget list; every other section and budget line stays as
 * the earlier run wrote it (the city's million-people jobs take most of an hour and do not change
 * with a front-end edit). Each replaced section says which run it comes from, and the header lists
 * the runs.
 */
export function updateMarkdown(file: string, command: string, notes: string[]): void {
  const old = readFileSync(file, 'utf8');
  const parts = old.split(/^(?=## )/m);
  const head = parts[0].trimEnd();
  const blocks = new Map(parts.slice(1).map((b) => [/^## (.*)$/m.exec(b)![1].trim(), b.trimEnd()] as const));
  const measured = [...new Set(figures.map((f) => f.section))];
  const [date, commit, load] = [machine()[0].slice(2), machine()[1].slice(2), machine()[2].replace(/.*load average at the end /, '')];
  const stamp = `Re-measured by \`${command}\` (${commit}; ${date}; load average at the end ${load}).`;
  const order = [...blocks.keys()].filter((k) => k !== 'Budgets');
  for (const m of measured) if (!order.includes(m)) order.push(m);
  // An earlier update's stamp goes once every section it names is measured again: the header
  // names each section's run once.
  const superseded = (line: string): boolean => {
    if (!line.startsWith('> Re-measured by ')) return false;
    const named = order.filter((section) => line.includes(`: ${section}`) || line.includes(`, ${section}`));
    return named.length > 0 && named.every((section) => measured.includes(section));
  };
  const out = [
    head
      .split('\n')
      .filter((line) => !superseded(line))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd(),
    '',
    `> ${stamp.replace(/\.$/, '')}: ${measured.join(', ')}. ${notes.join(' ')} The other sections are from the run above.`,
    '',
  ];
  for (const section of order) {
    if (measured.includes(section)) {
      const [heading, ...rest] = sectionLines(section);
      out.push(heading, '', `_${stamp}_`, ...rest);
    } else out.push(blocks.get(section)!, '');
  }
  const kept = (blocks.get('Budgets') ?? '')
    .split('\n')
    .filter((l) => l.startsWith('- ') && !measured.some((m) => l.includes(`: ${m} — `)));
  out.push('## Budgets', '', ...kept, ...figures.filter((f) => f.budget).map(budgetLine), '');
  writeFileSync(file, out.join('\n'));
}

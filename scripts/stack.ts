/**
 * Reads a stack trace from a deployed (minified) function back to src/, with the index.js.map
 * that build:cloud ships beside each index.js (or exceljs.js.map for the lazily loaded chunk).
 * The functions do not run with --enable-source-maps (it would parse the map at every cold
 * start), so a trace in the cloud log names minified positions; paste it here.
 *
 *   npx tsx scripts/stack.ts staffLists < trace.txt        maps "…/index.js:1:23456" frames
 *   npx tsx scripts/stack.ts staffLists --dir /tmp/build   a build elsewhere than cloudfunctions/deploy
 *
 * The map must come from the same build (same commit, same MINIPROGRAM_STATE) as the trace.
 */
import { readFileSync } from 'fs';
import { SourceMap } from 'module';
import { join, relative } from 'path';

const [name, ...rest] = process.argv.slice(2);
if (!name) {
  console.error('usage: npx tsx scripts/stack.ts <function> [--dir <deploy folder>] < trace.txt');
  process.exit(2);
}
const dirAt = rest.indexOf('--dir');
const folder = join(dirAt >= 0 ? rest[dirAt + 1] : join(__dirname, '..', 'cloudfunctions', 'deploy'), name);
const maps = new Map<string, SourceMap>();
function mapFor(file: string): SourceMap {
  if (!maps.has(file)) maps.set(file, new SourceMap(JSON.parse(readFileSync(join(folder, `${file}.map`), 'utf8'))));
  return maps.get(file)!;
}

const repo = join(__dirname, '..');
const input = readFileSync(0, 'utf8');
process.stdout.write(
  input.replace(/(?:[^\s()]*[/\\])?(index\.js|exceljs\.js):(\d+):(\d+)/g, (whole, file: string, line: string, column: string) => {
    // Stack traces count lines and columns from 1, source maps from 0.
    const entry = mapFor(file).findEntry(Number(line) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (!entry.originalSource) return whole;
    const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : join(folder, entry.originalSource);
    return `${relative(repo, source)}:${entry.originalLine! + 1}:${entry.originalColumn! + 1}`;
  }),
);

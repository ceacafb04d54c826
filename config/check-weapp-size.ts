/**
 * WeChat package-size budget for the weapp build (run after `npm run build:weapp`):
 *
 *   tsx config/check-weapp-size.ts [dist/weapp]
 *
 * The main package is everything in dist/weapp except the subpackage roots declared in app.json.
 * Budgets: main package ≤ 600 KB with every resident page (issue 15: what a resident downloads
 * before the first screen; WeChat allows 2 MB), each subpackage ≤ 2 MB, all packages ≤ 20 MB
 * (WeChat's limits). Exits 1 above any of them. `npm run bench` reports the same figures
 * beside the floor (a minimal Taro app, test/bench/size.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import path from 'path';

const MB = 1024 * 1024;
export const MAIN_BUDGET = 600 * 1024;
export const SUB_BUDGET = 2 * MB;
export const TOTAL_BUDGET = 20 * MB;

/** Files the WeChat uploader ignores or that are not part of the package. */
const IGNORED = [/\.map$/, /\.LICENSE\.txt$/, /^project\.config\.json$/, /^project\.private\.config\.json$/, /^sitemap\.json$/];

interface AppJson {
  subPackages?: { root: string; independent?: boolean }[];
  subpackages?: { root: string; independent?: boolean }[];
}

function files(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...files(full, base));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

export interface PackageSize {
  name: string;
  root: string;
  bytes: number;
  files: number;
  budget: number;
}

export function measure(distDir: string): PackageSize[] {
  const app = JSON.parse(readFileSync(path.join(distDir, 'app.json'), 'utf8')) as AppJson;
  const subs = (app.subPackages ?? app.subpackages ?? []).map((s) => s.root.replace(/^\/+|\/+$/g, ''));
  const sizes = new Map<string, PackageSize>();
  sizes.set('', { name: '主包 main', root: '/', bytes: 0, files: 0, budget: MAIN_BUDGET });
  for (const root of subs) sizes.set(root, { name: `分包 ${root}`, root: `${root}/`, bytes: 0, files: 0, budget: SUB_BUDGET });

  for (const rel of files(distDir)) {
    if (IGNORED.some((re) => re.test(path.basename(rel)))) continue;
    const owner = subs.find((root) => rel === root || rel.startsWith(root + '/')) ?? '';
    const p = sizes.get(owner)!;
    p.bytes += statSync(path.join(distDir, rel)).size;
    p.files += 1;
  }
  return [...sizes.values()];
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function main(): void {
  const distDir = path.resolve(process.argv[2] ?? 'dist/weapp');
  if (!existsSync(path.join(distDir, 'app.json'))) {
    console.error(`找不到 ${path.join(distDir, 'app.json')}：请先运行 npm run build:weapp`);
    process.exit(1);
  }
  const packages = measure(distDir);
  let failed = false;
  for (const p of packages) {
    const over = p.bytes > p.budget;
    failed ||= over;
    const pct = ((p.bytes / p.budget) * 100).toFixed(1);
    console.log(`${over ? 'FAIL' : 'ok  '} ${p.name.padEnd(16)} ${kb(p.bytes).padStart(10)} / ${kb(p.budget)} (${pct}%), ${p.files} files`);
  }
  const total = packages.reduce((s, p) => s + p.bytes, 0);
  const totalOver = total > TOTAL_BUDGET;
  failed ||= totalOver;
  console.log(`${totalOver ? 'FAIL' : 'ok  '} ${'total'.padEnd(16)} ${kb(total).padStart(10)} / ${kb(TOTAL_BUDGET)}`);
  if (failed) {
    console.error('weapp package size over budget');
    process.exit(1);
  }
}

if (require.main === module) main();

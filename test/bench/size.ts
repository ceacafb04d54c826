/**
 * Package sizes (issue 15): the weapp build's main package and every subpackage against WeChat's
 * limits (2 MB each, 20 MB in all) and our main-package budget (600 KB with every resident page),
 * beside the floor: a minimal Taro 4 + React app (one page, a View and a Text) built with the
 * same config/ in a temp folder, sharing this checkout's node_modules (works offline).
 */
import { spawnSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'fs';
import { join } from 'path';
import { MAIN_BUDGET, measure, SUB_BUDGET, TOTAL_BUDGET } from '../../config/check-weapp-size';
import { kb, record } from './report';

const ROOT = join(__dirname, '..', '..');
const SECTION = 'Package size (weapp)';

/** `taro build` of a project (this checkout or the floor) into `outDir`, production mode. */
export function buildTaro(type: 'weapp' | 'h5', projectDir: string, outDir: string): void {
  const res = spawnSync(join(ROOT, 'node_modules', '.bin', 'taro'), ['build', '--type', type], {
    cwd: projectDir,
    env: { ...process.env, NODE_ENV: 'production', TARO_OUTPUT_ROOT: outDir },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status !== 0 || !existsSync(join(outDir, type === 'weapp' ? 'app.json' : 'index.html'))) throw new Error(`${type} build in ${projectDir} failed: ${(res.stderr || res.stdout).slice(-2000)}`);
}

/**
 * The floor project: same config/, babel config and package.json, a one-page app whose View
 * carries the class `floor-ready` (what the first screen's floor waits for on H5).
 */
export function floorProject(dir: string): void {
  mkdirSync(join(dir, 'src', 'pages', 'index'), { recursive: true });
  cpSync(join(ROOT, 'config'), join(dir, 'config'), { recursive: true });
  for (const f of ['babel.config.js', 'tsconfig.json', 'package.json', 'project.config.json']) cpSync(join(ROOT, f), join(dir, f));
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'src', 'app.config.ts'), "export default defineAppConfig({ pages: ['pages/index/index'], window: { navigationBarTitleText: 'floor' } });\n");
  writeFileSync(join(dir, 'src', 'app.ts'), "import { PropsWithChildren } from 'react';\n\nexport default function App({ children }: PropsWithChildren<unknown>) {\n  return children;\n}\n");
  writeFileSync(join(dir, 'src', 'pages', 'index', 'index.config.ts'), "export default definePageConfig({ navigationBarTitleText: 'floor' });\n");
  writeFileSync(join(dir, 'src', 'pages', 'index', 'index.tsx'), "import { Text, View } from '@tarojs/components';\n\nexport default function Index() {\n  return (\n    <View className=\"floor-ready\">\n      <Text>合肥居民医保</Text>\n    </View>\n  );\n}\n");
  writeFileSync(join(dir, 'src', 'index.html'), '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="app"></div></body></html>\n');
}

export async function sizeBench(work: string, given?: string): Promise<void> {
  const appOut = given ?? join(work, 'weapp');
  const how = given ? `config/check-weapp-size.ts on the build in ${given}` : '`taro build --type weapp` (NODE_ENV=production) into a temp folder, files counted as config/check-weapp-size.ts does (no .map / LICENSE files)';
  if (!given) buildTaro('weapp', ROOT, appOut);
  const floorDir = join(work, 'floor');
  floorProject(floorDir);
  buildTaro('weapp', floorDir, join(work, 'floor-weapp'));
  const floorMain = measure(join(work, 'floor-weapp')).find((p) => p.root === '/')!;
  const packages = measure(appOut);
  for (const p of packages) {
    const main = p.root === '/';
    record({
      section: SECTION,
      name: main ? 'main package (every resident page)' : `subpackage ${p.root}`,
      value: `${kb(p.bytes)} in ${p.files} files${main ? ` (floor ${kb(floorMain.bytes)}, ${(p.bytes / floorMain.bytes).toFixed(1)}× the floor)` : ''}`,
      how,
      budget: main ? `≤ ${kb(MAIN_BUDGET)} (WeChat limit 2 MB)` : `≤ ${kb(SUB_BUDGET)} (WeChat)`,
      ok: p.bytes <= (main ? MAIN_BUDGET : SUB_BUDGET),
    });
  }
  record({
    section: SECTION,
    name: 'floor: minimal Taro 4 + React app, same config',
    value: `${kb(floorMain.bytes)} in ${floorMain.files} files`,
    how: 'a one-page app (View + Text) built with a copy of config/ and package.json in a temp folder, node_modules shared',
  });
  const total = packages.reduce((s, p) => s + p.bytes, 0);
  record({ section: SECTION, name: 'all packages', value: kb(total), how, budget: `≤ ${kb(TOTAL_BUDGET)} (WeChat)`, ok: total <= TOTAL_BUDGET });
}

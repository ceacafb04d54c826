/**
 * Where the throttled first screen's time goes (issue 15): one cold visit of the resident home
 * under the phone profile with the renderer's CPU profiler on; prints when each script and the
 * home's call loaded, and self time per script and per function. A diagnostic beside
 * `npm run bench` (whose first-screen section holds the budget), not a budget itself:
 *
 *   npx tsx test/bench/profile-first-screen.ts --h5 <H5 build folder> [--unthrottled]
 *
 * The .cpuprofile is written beside the build (open it in Chromium's DevTools, Performance).
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { firstScreenWorld, PHONE, STAMP, throttle, waitForStamp } from './first-screen';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

const STATUS = '[data-testid="person-status"]';

async function main(): Promise<void> {
  const i = process.argv.indexOf('--h5');
  const h5 = i >= 0 ? process.argv[i + 1] : undefined;
  if (!h5) throw new Error('--h5 <folder of an H5 build>');
  const throttled = !process.argv.includes('--unthrottled');
  const { cloud, browser, storageState, close } = await firstScreenWorld(mkdtempSync(join(tmpdir(), 'profile-fs-')), h5);
  try {
    const context = await browser.newContext({ ...PHONE, storageState });
    const page = await context.newPage();
    if (throttled) await throttle(context, page);
    const cdp = await context.newCDPSession(page);
    await page.addInitScript(STAMP(STATUS));
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    const seen = waitForStamp(page);
    await page.goto(`${cloud.url}/#/pages/index/index`, { waitUntil: 'commit' });
    await seen;
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
    const seenAt = await page.evaluate(() => (window as any).__benchSeen as number);
    const loads = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((e) => ({ name: e.name.replace(location.origin, ''), start: Math.round(e.startTime), end: Math.round(e.responseEnd) })),
    );
    const out = join(h5, '..', 'home.cpuprofile');
    writeFileSync(out, JSON.stringify(profile));

    const selfMs = new Map<number, number>();
    profile.samples.forEach((id, k) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[k] ?? 0) / 1000));
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const byScript = new Map<string, number>();
    const byFunction = new Map<string, number>();
    for (const [id, t] of selfMs) {
      const { callFrame: f } = nodes.get(id)!;
      const script = f.url.replace(cloud.url, '') || `(${f.functionName || 'native'})`;
      byScript.set(script, (byScript.get(script) ?? 0) + t);
      const fn = `${f.functionName || '(anonymous)'} ${script}:${f.lineNumber}:${f.columnNumber}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + t);
    }
    const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, t]) => `${t.toFixed(0).padStart(6)} ms  ${n}`).join('\n');
    console.log(`status visible at ${seenAt.toFixed(0)} ms (${throttled ? 'phone profile' : 'unthrottled'}); profile: ${out}`);
    console.log(`loaded (start → end, ms):\n${loads.map((x) => `  ${String(x.start).padStart(5)} → ${String(x.end).padStart(5)}  ${x.name.slice(0, 90)}`).join('\n')}`);
    console.log(`self time by script:\n${top(byScript, 15)}`);
    console.log(`self time by function:\n${top(byFunction, 40)}`);
  } finally {
    await close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

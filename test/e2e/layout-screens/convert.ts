/**
 * Turns the words-layout spec's PNG screenshots into the small JPEGs kept here (issue 10's
 * closing note): `npx tsx test/e2e/layout-screens/convert.ts <before-png-dir> <after-png-dir>`.
 * Chromium (playwright-core) draws each PNG at 60 % and saves it as a JPEG of quality 70, so a
 * pair stays legible (every line break shows) at about 60 KB.
 */
import { readFileSync, mkdirSync, existsSync } from 'fs';
import { join } from 'path';
import { launchBrowser } from '../support/browser';

export const PAIRS = ['02-quote-breakdown', '03-child-form', '06-order', '07-pay-sheet', '08-receipt', '09-home-paid', '09b-home-settings', '10-records', '11-help', '12-address'];
const SCALE = 0.6;

async function main(): Promise<void> {
  const [beforeDir, afterDir] = process.argv.slice(2);
  if (!beforeDir || !afterDir) throw new Error('usage: convert.ts <before-png-dir> <after-png-dir>');
  const browser = await launchBrowser();
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const [dir, side] of [[beforeDir, 'before'], [afterDir, 'after']] as const) {
    const out = join(__dirname, side);
    mkdirSync(out, { recursive: true });
    for (const name of PAIRS) {
      const file = join(dir, `${name}.png`);
      if (!existsSync(file)) continue;
      const src = `data:image/png;base64,${readFileSync(file).toString('base64')}`;
      await page.setContent(`<body style="margin:0"><img id="i" src="${src}" style="display:block"></body>`);
      const { w, h } = await page.evaluate(() => {
        const img = (globalThis as any).document.getElementById('i');
        return { w: img.naturalWidth as number, h: img.naturalHeight as number };
      });
      const width = Math.round(w * SCALE);
      const height = Math.round(h * SCALE);
      await page.setViewportSize({ width, height });
      await page.evaluate(({ width: cw }) => {
        (globalThis as any).document.getElementById('i').style.width = `${cw}px`;
      }, { width });
      await page.screenshot({ path: join(out, `${name}.jpg`), type: 'jpeg', quality: 70, clip: { x: 0, y: 0, width, height } });
    }
  }
  await browser.close();
}

void main();

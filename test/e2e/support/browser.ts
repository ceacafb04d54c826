/**
 * Debian's Chromium driven by playwright-core (no browser download here), and the
 * local cloud each spec starts for itself.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdirSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { startLocalCloud } from '../../../cloudfunctions/local-cloud/server';

export const SCREENSHOT_DIR = join(__dirname, '..', '..', '..', 'test-results', 'e2e');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export type LocalCloud = Awaited<ReturnType<typeof startLocalCloud>>;

/** A local cloud on a free port with a fresh data folder, its clock at `now`. */
export async function startCloud(now: string): Promise<LocalCloud> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hefei-e2e-'));
  // E2E_FUNCTIONS_DIR: a private copy of the bundled functions, so a parallel `build:cloud`
  // (which empties cloudfunctions/deploy/<name> while it bundles) cannot pull them from under a run.
  // E2E_STATIC_DIR: another H5 build (e.g. a copy of the build before a change, for "before" screenshots).
  return startLocalCloud({
    port: 0,
    dataDir,
    now,
    ...(process.env.E2E_FUNCTIONS_DIR ? { functionsDir: process.env.E2E_FUNCTIONS_DIR } : {}),
    ...(process.env.E2E_STATIC_DIR ? { staticDir: process.env.E2E_STATIC_DIR } : {}),
  });
}

/** A phone-sized page (the app is phone-first). */
export async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' });
  return context.newPage();
}

export async function screenshot(page: Page, spec: string, step: string): Promise<string> {
  const dir = join(SCREENSHOT_DIR, spec);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${step}.png`);
  // The H5 page transition needs about a second before a screenshot is not blank.
  await page.waitForTimeout(800);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface Scenario {
  cloud: LocalCloud;
  browser: Browser;
  /** Phone pages opened for the spec (residents, staff), in order. */
  pages: Page[];
}

/**
 * One spec's world: a local cloud with its clock at `now` (after `setup`, if given, has run
 * against it), Chromium, and `pages` phone pages; all closed after the spec.
 * Read its fields inside the tests: they are filled in beforeAll.
 */
export function browserScenario(now: string, options: { pages?: number; setup?: (cloud: LocalCloud) => Promise<void> } = {}): Scenario {
  const scenario = { pages: [] as Page[] } as Scenario;
  beforeAll(async () => {
    scenario.cloud = await startCloud(now);
    await options.setup?.(scenario.cloud);
    scenario.browser = await launchBrowser();
    for (let i = 0; i < (options.pages ?? 1); i++) scenario.pages.push(await phonePage(scenario.browser));
  });
  afterAll(async () => {
    await scenario.browser?.close();
    await scenario.cloud?.close();
  });
  return scenario;
}

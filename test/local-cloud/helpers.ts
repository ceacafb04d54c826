/** Shared set-up of the local-cloud tests. */
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { localTokenFor, startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../cloudfunctions/local-cloud/server';

export const REPO = join(__dirname, '..', '..');
export const FIXTURES = join(__dirname, 'fixtures');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `local-cloud-${prefix}-`));
}

/** A local cloud running the fixture functions, in a fresh data folder, its clock at 2023-10-08 10:00 CST. */
export async function startFixtureCloud(prefix: string, options: Partial<LocalCloudOptions> = {}): Promise<LocalCloud> {
  const dir = tempDir(prefix);
  return startLocalCloud({
    port: 0,
    dataDir: dir,
    quiet: true,
    functionsDir: FIXTURES,
    indexesFile: testIndexesFile(dir),
    now: '2023-10-08T10:00+08:00',
    ...options,
  });
}

/** The checked-in indexes plus the collections the fixtures and tests use. */
export function testIndexesFile(dir: string, extra: Record<string, unknown[]> = {}): string {
  const base = JSON.parse(readFileSync(join(REPO, 'cloudfunctions', 'indexes.json'), 'utf8'));
  const file = join(dir, 'indexes.test.json');
  writeFileSync(
    file,
    JSON.stringify({
      ...base,
      fixture_pay_events: [],
      things: [],
      big: [],
      lookup_people: [],
      lookup_orders: [],
      tx_accounts: [{ name: 'code_unique', keys: { code: 1 }, unique: true }],
      race: [{ name: 'key_unique', keys: { key: 1 }, unique: true }],
      durable: [],
      ...extra,
    }),
  );
  return file;
}

export async function login(url: string, account: string, password?: string): Promise<{ token: string; openid: string; staff: any }> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account, password }) });
  if (!res.ok) throw new Error(`login ${res.status}`);
  return (await res.json()) as any;
}

/** GET with the cloud's local token (development routes such as /api/outbox need one). */
export async function getJson(url: string): Promise<any> {
  const token = localTokenFor(new URL(url).origin);
  return (await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} })).json();
}

/** POST with the session token given, else the cloud's local token (development routes need one; local-cloud/guard.ts). */
export async function post(url: string, path: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const bearer = token ?? localTokenFor(new URL(url).origin);
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

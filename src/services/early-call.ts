/**
 * H5 first screen (issue 15): the resident home's one call, started by app.ts while the page's
 * chunks are still downloading instead of after they have run (on a phone's 150 ms line the
 * status then no longer waits for the chunks and the call one after the other).
 *
 * callFunction takes the started request when the page makes the very same call (function,
 * event and session token) within EARLY_TTL_MS, once; anything else calls as usual. The reply
 * goes through the same checks (gateway status, envelope, the function's schema) as any other.
 *
 * This module stays free of zod and of the contracts: app.ts imports it, and what it imports
 * lands in the entry scripts every page downloads first.
 */
import { CloudCallError, MESSAGES } from './errors';
import { checkGatewayReply, postJson } from './gateway';
import { readStored } from './storage';

/** Where session.ts keeps the H5 sign-in (re-exported there). */
export const SESSION_KEY = 'hf.session';
export const HOME_PAGE = 'pages/index/index';
/** An early reply older than this is not used (the page took unusually long to mount). */
export const EARLY_TTL_MS = 10_000;

interface Early {
  key: string;
  at: number;
  reply: Promise<unknown>;
  /** Set once the reply has arrived and passed the gateway checks. */
  arrived?: { body: unknown };
}

let early: Early | null = null;

const keyOf = (name: string, event: unknown, token: string | undefined): string => `${name}\n${token ?? ''}\n${JSON.stringify(event ?? {})}`;

/**
 * The home's call as index.html's boot script started it, before any of the app's code had
 * downloaded (config/h5-route-preload.ts earlyHomeScript, which names the global).
 */
interface BootHome {
  token: string;
  at: number;
  reply: Promise<{ status: number; body: unknown }>;
}
const BOOT_HOME_GLOBAL = '__hfBootHome';

/**
 * The boot script's call, if it was made with this token; its reply goes through the gateway
 * checks postJson applies (status, error body), and a failed fetch is the network message.
 * Taken once: the global is cleared whatever it held. Its age counts from when the boot script
 * sent it (`at`), not from now: a page restored long after its boot must not show that reply.
 */
function adoptBootCall(token: string): Pick<Early, 'reply' | 'at'> | undefined {
  const g = globalThis as unknown as Record<string, BootHome | undefined>;
  const boot = g[BOOT_HOME_GLOBAL];
  delete g[BOOT_HOME_GLOBAL];
  if (!boot || boot.token !== token || typeof boot.reply?.then !== 'function' || typeof boot.at !== 'number') return undefined;
  const reply = boot.reply.then(
    (r) => checkGatewayReply(r.status, r.body),
    () => {
      throw new CloudCallError('NETWORK', MESSAGES.NETWORK);
    },
  );
  return { reply, at: boot.at };
}

export function startEarlyCall(name: string, event: Record<string, unknown>, token: string, started?: Pick<Early, 'reply' | 'at'>): void {
  const reply = started?.reply ?? postJson(`/api/functions/${encodeURIComponent(name)}`, event, token);
  const entry: Early = { key: keyOf(name, event, token), at: started?.at ?? Date.now(), reply };
  // Nobody may take it: its failure must not surface as an unhandled rejection. A failure stays
  // a promise only: it goes the usual way (callFunction signs out on 401).
  reply.then(
    (body) => {
      entry.arrived = { body };
    },
    () => undefined,
  );
  early = entry;
}

/** The started call when it is exactly this call and still fresh; a stale one is dropped. */
function matching(name: string, event: unknown, token: string | undefined): Early | undefined {
  if (!early || !token) return undefined;
  if (Date.now() - early.at > EARLY_TTL_MS) {
    early = null;
    return undefined;
  }
  return early.key === keyOf(name, event, token) ? early : undefined;
}

/** The started request for exactly this call, once; undefined otherwise. */
export function takeEarlyCall(name: string, event: unknown, token: string | undefined): Promise<unknown> | undefined {
  const found = matching(name, event, token);
  if (!found) return undefined;
  early = null;
  return found.reply;
}

/**
 * The started call's body when it has already arrived (gateway checks passed), once: the page can
 * then render with its data in its first render instead of a loading state first (issue 15).
 * Undefined while it is on its way or when it failed; takeEarlyCall then hands over the promise.
 */
export function takeArrivedEarlyCall(name: string, event: unknown, token: string | undefined): { body: unknown } | undefined {
  const found = matching(name, event, token);
  if (!found?.arrived) return undefined;
  early = null;
  return found.arrived;
}

/**
 * H5 boot: when the URL opens the home (no route, or the home's) and a resident is signed in,
 * start `resident.home` now — or take the one index.html's boot script already started with the
 * same token. Staff sessions see another home; no session, the sign-in form.
 */
export function startHomeEarly(hash: string): void {
  const route = hash.replace(/^#\/?/, '').split('?')[0];
  if (route && route !== HOME_PAGE) return;
  const s = readStored<{ token?: unknown; staff?: unknown }>(SESSION_KEY);
  if (!s || typeof s.token !== 'string' || !s.token || s.staff !== null) return;
  startEarlyCall('resident', { action: 'home' }, s.token, adoptBootCall(s.token));
}

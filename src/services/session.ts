/**
 * The signed-in person.
 *
 * - H5: a local sign-in (account name; staff accounts also need a password) against the
 *   gateway's POST /api/auth/login; the bearer token is kept in Taro storage.
 * - weapp: the WeChat identity is implicit (the cloud knows the caller's openid): there is no
 *   token and no sign-in page.
 */
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { CloudCallError, MESSAGES } from './errors';
import { postJson } from './gateway';
import { readStored, removeStored, removeStoredPrefix, writeStored } from './storage';
import { SESSION_KEY } from './early-call';

export { SESSION_KEY };
const EVENT = 'hf:session';

export const sessionSchema = z.object({
  token: z.string().min(1),
  openid: z.string().min(1),
  displayName: z.string(),
  staff: z.object({ role: z.string(), scope: z.unknown() }).nullable(),
});

export type Session = z.infer<typeof sessionSchema>;

/** True where the person signs in locally (H5); in weapp the identity is WeChat's. */
export const usesLocalSignIn = (): boolean => process.env.TARO_ENV === 'h5';

export const ACCOUNT_PATTERN = /^[A-Za-z0-9_]{2,32}$/;

export function currentSession(): Session | null {
  const parsed = sessionSchema.safeParse(readStored<unknown>(SESSION_KEY));
  return parsed.success ? parsed.data : null;
}

export function sessionToken(): string | undefined {
  return currentSession()?.token;
}

function changed(): void {
  Taro.eventCenter.trigger(EVENT, currentSession());
}

export async function login(account: string, password?: string): Promise<Session> {
  const name = account.trim();
  if (!ACCOUNT_PATTERN.test(name)) {
    throw new CloudCallError('INVALID_ACCOUNT', '账号由 2–32 位字母、数字或下划线组成', 'account');
  }
  const body = await postJson('/api/auth/login', password ? { account: name, password } : { account: name });
  const parsed = sessionSchema.safeParse(body);
  if (!parsed.success) throw new CloudCallError('BAD_REPLY', MESSAGES.BAD_REPLY);
  writeStored(SESSION_KEY, parsed.data);
  changed();
  return parsed.data;
}

export function logout(): void {
  removeStored(SESSION_KEY);
  // Form drafts (name, address, …) must not be offered to the next account on this phone.
  removeStoredPrefix('hf.draft.');
  changed();
}

/** The session, kept current across pages (sign-in, sign-out, expiry). */
export function useSession(): Session | null {
  const [session, setSession] = useState<Session | null>(currentSession);
  useEffect(() => {
    const listener = (s: Session | null) => setSession(s);
    Taro.eventCenter.on(EVENT, listener);
    setSession(currentSession());
    return () => {
      Taro.eventCenter.off(EVENT, listener);
    };
  }, []);
  return session;
}

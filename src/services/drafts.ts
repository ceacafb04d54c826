/**
 * Form drafts kept in storage, so nothing typed is lost when the person goes back, leaves the
 * mini-program or the page reloads. Cleared once the form has been submitted successfully.
 * Fields listed in `transient` (ID numbers, mobile) stay in memory only: the page stays in the
 * navigation stack when the person goes forward and back, but they are never written to the
 * device's storage.
 * A draft belongs to the signed-in account (its key carries the account's openid) and all drafts
 * are removed at sign-out: the next person on the same phone never sees them.
 */
import { useEffect, useRef, useState } from 'react';
import { readStored, removeStored, removeStoredPrefix, writeStored } from './storage';
import { currentSession, usesLocalSignIn } from './session';

export const DRAFT_PREFIX = 'hf.draft.';

/** Whose drafts: the H5 account; in weapp the storage is already the WeChat user's own. */
function owner(): string {
  return usesLocalSignIn() ? currentSession()?.openid ?? 'signed-out' : 'wechat';
}

export const draftKey = (key: string): string => `${DRAFT_PREFIX}${owner()}.${key}`;

/** Sign-out: every account's drafts go. */
export const clearAllDrafts = (): void => removeStoredPrefix(DRAFT_PREFIX);

export function useDraft<T extends object>(key: string, initial: T, transient: (keyof T)[] = []): [T, (patch: Partial<T>) => void, () => void] {
  const storageKey = draftKey(key);
  const [value, setValue] = useState<T>(() => ({ ...initial, ...(readStored<Partial<T>>(storageKey) ?? {}) }));
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const kept: Partial<T> = { ...value };
    for (const k of transient) delete kept[k];
    writeStored(storageKey, kept);
  }, [storageKey, value]);
  const patch = (p: Partial<T>) => setValue((v) => ({ ...v, ...p }));
  const clear = () => removeStored(storageKey);
  return [value, patch, clear];
}

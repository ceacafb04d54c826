/**
 * State of 谁可以为我办理: the caller's own verified person, the accounts that may act for them,
 * and revoking one (two taps: 撤销授权, then 确认撤销).
 */
import { useEffect, useState } from 'react';
import type { AuthorizationItem, IdentityStatus } from '@contracts/resident';
import { resident } from '@/services/resident';
import { userMessage } from '@/services/errors';

export function useAuthorizations() {
  const [identity, setIdentity] = useState<IdentityStatus | null>(null);
  const [items, setItems] = useState<AuthorizationItem[]>([]);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);

  const load = async () => {
    setLoading(true);
    setLoadError(null);
    try {
      const s = await resident({ action: 'identityStatus' });
      setIdentity(s);
      if (s.verified && s.personId) setItems((await resident({ action: 'listAuthorizations', personId: s.personId })).items);
      else setItems([]);
    } catch (e) {
      setLoadError(e);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  async function revoke(item: AuthorizationItem) {
    if (busy) return;
    if (confirming !== item.linkId) {
      setConfirming(item.linkId);
      return;
    }
    setBusy(item.linkId);
    setErrors((e) => ({ ...e, [item.linkId]: '' }));
    try {
      await resident({ action: 'revokeAuthorization', linkId: item.linkId });
      setItems((list) => list.map((i) => (i.linkId === item.linkId ? { ...i, status: 'revoked' } : i)));
      setNotice(`已撤销${item.actorLabel}的授权`);
      setConfirming(null);
    } catch (e) {
      setErrors((x) => ({ ...x, [item.linkId]: userMessage(e) }));
    } finally {
      setBusy(null);
    }
  }

  return { identity, items, loading, loadError, reload: load, revoke, confirming, cancel: () => setConfirming(null), busy, errors, notice };
}

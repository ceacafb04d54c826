/**
 * State of the invited adult's page: what the invitation asks (masked names, never the ID
 * number), whether the caller has verified themself yet, and accepting it.
 */
import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import type { IdentityStatus, ResidentReply } from '@contracts/resident';
import { resident } from '@/services/resident';
import { CloudCallError } from '@/services/errors';
import { usesLocalSignIn, useSession } from '@/services/session';

export type InvitationInfo = ResidentReply<'invitationInfo'>;

export const INVITE_PAGE = '/pages/invite/index';
const CODE_RE = /^[A-Za-z0-9_-]{10,64}$/;

export const validCode = (code: string | undefined): code is string => !!code && CODE_RE.test(code);

export function useAcceptInvitation(code: string | undefined) {
  const session = useSession();
  const signedIn = !usesLocalSignIn() || !!session;
  const [info, setInfo] = useState<InvitationInfo | null>(null);
  const [identity, setIdentity] = useState<IdentityStatus | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [acceptError, setAcceptError] = useState<unknown>(null);
  const [accepted, setAccepted] = useState(false);
  const here = `${INVITE_PAGE}?code=${code ?? ''}`;

  const load = async () => {
    setLoadError(null);
    if (!validCode(code)) {
      setLoadError('邀请链接不完整，请让家人重新发送');
      setLoading(false);
      return;
    }
    if (!signedIn) {
      setLoading(false);
      return;
    }
    setLoading(true);
    try {
      const consent = await resident({ action: 'consentStatus' });
      if (!consent.accepted) {
        void Taro.redirectTo({ url: `/pages/consent/index?next=${encodeURIComponent(here)}` });
        return;
      }
      const [i, s] = await Promise.all([resident({ action: 'invitationInfo', code }), resident({ action: 'identityStatus' })]);
      setInfo(i);
      setIdentity(s);
    } catch (e) {
      setLoadError(e);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load();
  }, [code, signedIn]);

  /** Verification first, then back here. */
  const verifyFirst = () => void Taro.navigateTo({ url: `/pages/verify/index?next=${encodeURIComponent(here)}` });

  async function accept() {
    if (busy || !validCode(code)) return;
    setBusy(true);
    setAcceptError(null);
    try {
      await resident({ action: 'acceptInvitation', code });
      setAccepted(true);
    } catch (e) {
      setAcceptError(e);
      if (e instanceof CloudCallError && e.code === 'IDENTITY_CHECK_FAILED') void load();
    } finally {
      setBusy(false);
    }
  }

  return { signedIn, info, identity, loading, loadError, reload: load, verifyFirst, accept, busy, acceptError, accepted };
}

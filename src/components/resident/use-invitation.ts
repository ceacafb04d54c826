/**
 * 邀请家人授权: creates an invitation for an adult family member and gives the caller what to
 * send — in weapp a share card (open-type="share") of pages/invite/index?code=…, in H5 the link
 * to copy. The code is shown once here; the server keeps only its keyed hash.
 */
import { useState } from 'react';
import Taro from '@tarojs/taro';
import type { ResidentReply } from '@contracts/resident';
import { resident } from '@/services/resident';
import { userMessage } from '@/services/errors';

export type Invitation = ResidentReply<'createInvitation'>;

/** The page path of an invitation (from the server's `path`, or built from the code). */
export function invitePath(inv: Pick<Invitation, 'code' | 'path'>): string {
  const p = inv.path ? inv.path.replace(/^\/+/, '') : `pages/invite/index?code=${inv.code}`;
  return `/${p}`;
}

/** H5: the full link to the invite page on this site (hash router). */
export function inviteLink(inv: Pick<Invitation, 'code' | 'path'>, location: { origin: string; pathname: string }): string {
  return `${location.origin}${location.pathname}#${invitePath(inv)}`;
}

export function useInvitation(personId: string) {
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  async function create() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      setInvitation(await resident({ action: 'createInvitation', personId }));
    } catch (e) {
      setError(userMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const link = invitation && typeof window !== 'undefined' && process.env.TARO_ENV === 'h5' ? inviteLink(invitation, window.location) : null;

  async function copy() {
    if (!link) return;
    try {
      await Taro.setClipboardData({ data: link });
      setCopied(true);
    } catch {
      setError('复制没有成功，请长按链接手动复制');
    }
  }

  return { invitation, create, busy, error, link, copy, copied };
}

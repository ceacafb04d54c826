/**
 * State of the staff home: what needs doing now (staffAdmin.staffHome, for the caller's role and
 * scope), and binding an account with the invitation code for a WeChat user not yet staff.
 */
import { useCallback, useEffect, useState } from 'react';
import type { StaffHomeReply } from '@contracts/staffAdmin';
import { staffAdmin } from '@/services/staff';
import { staffError } from '../../review-text';

export function useStaffHome(enabled: boolean) {
  const [home, setHome] = useState<StaffHomeReply | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setHome(await staffAdmin({ action: 'staffHome' }));
    } catch (err) {
      setError(staffError(err));
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    if (enabled) void load();
  }, [enabled, load]);
  return { home, loading, error, reload: load };
}

/** The invitee enters the code the level above gave them; on success the page asks whoami again. */
export function useBindInvitation(onBound: () => void) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function bind() {
    if (busy) return;
    const typed = code.replace(/[\s-]/g, '').toUpperCase();
    if (!/^[A-HJ-NP-Z2-9]{12}$/.test(typed)) {
      setError('请输入 12 位邀请码（字母和数字）');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await staffAdmin({ action: 'bindInvitation', code: typed });
      onBound();
    } catch (err) {
      setError(staffError(err));
    } finally {
      setBusy(false);
    }
  }
  return { code, setCode, error, busy, bind };
}

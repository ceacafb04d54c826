/**
 * State of 下级账号管理: the organisations the caller creates accounts for, their accounts,
 * creating an organisation (a district: communities with their township, schools; the city:
 * universities, departments), creating an account (its invitation code is shown once),
 * a new code for an unbound account, and disabling with a reason.
 */
import { useState } from 'react';
import type { Organisation, OrgKind, StaffAccount } from '@contracts/staffAdmin';
import { staffAdmin } from '@/services/staff';
import { reasonProblem, staffError } from '../../review-text';
import { useStaffLoad } from '../../use-staff-load';

export interface IssuedCode {
  orgName: string;
  name: string;
  code: string;
  expiresAt: string;
}

export function useAccounts() {
  const [orgs, setOrgs] = useState<Organisation[]>([]);
  const [creatable, setCreatable] = useState<OrgKind[]>([]);
  const [accounts, setAccounts] = useState<StaffAccount[]>([]);
  const [issued, setIssued] = useState<IssuedCode | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const { loading, error, load } = useStaffLoad(
    () => Promise.all([staffAdmin({ action: 'listOrganisations' }), staffAdmin({ action: 'listAccounts' })]),
    ([o, a]) => {
      setOrgs(o.items);
      setCreatable(o.creatable);
      setAccounts(a.items);
    },
  );

  async function run<T>(work: () => Promise<T>): Promise<T | null> {
    if (busy) return null;
    setBusy(true);
    setActionError(null);
    try {
      const r = await work();
      await load();
      return r;
    } catch (err) {
      setActionError(staffError(err));
      return null;
    } finally {
      setBusy(false);
    }
  }

  const createOrganisation = (kind: OrgKind, name: string, township: string) =>
    run(() =>
      staffAdmin({
        action: 'createOrganisation',
        kind: kind as 'community' | 'school' | 'university' | 'department',
        name: name.trim(),
        ...(kind === 'community' ? { township: township.trim() } : {}),
      }),
    );

  async function createAccount(org: Organisation, name: string) {
    const r = await run(() => staffAdmin({ action: 'createAccount', orgId: org.orgId, name: name.trim() }));
    if (r) setIssued({ orgName: org.name, name: name.trim(), code: r.code, expiresAt: r.expiresAt });
    return !!r;
  }

  async function reissue(a: StaffAccount) {
    const r = await run(() => staffAdmin({ action: 'reissueInvitation', staffId: a.staffId }));
    if (r) setIssued({ orgName: a.orgName, name: a.name, code: r.code, expiresAt: r.expiresAt });
  }

  async function disable(a: StaffAccount, reason: string) {
    const problem = reasonProblem(reason);
    if (problem) {
      setActionError(problem);
      return false;
    }
    return !!(await run(() => staffAdmin({ action: 'disableAccount', staffId: a.staffId, reason: reason.trim() })));
  }

  return { orgs, creatable, accounts, loading, error, reload: load, issued, dismissIssued: () => setIssued(null), actionError, busy, createOrganisation, createAccount, reissue, disable };
}

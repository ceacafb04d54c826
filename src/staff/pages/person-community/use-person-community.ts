/**
 * State of 更正所属社区: the person (opened from 证件材料审核 or 现金收缴, where staff found
 * them), the community to set, and the reason kept in the audit log. staffAdmin.setPersonCommunity
 * decides: community, district and city staff, the person in their scope, not their own family.
 */
import { useState } from 'react';
import { staffAdmin } from '@/services/staff';
import { CloudCallError } from '@/services/errors';
import type { CommunityChoice } from '../../StaffCommunityChoice';
import { reasonProblem, staffError } from '../../review-text';

export interface PersonRef {
  personId: string;
  name: string;
  district: string;
  community: string;
}

export function usePersonCommunity(person: PersonRef | null) {
  const [choice, setChoice] = useState<CommunityChoice>({ district: person?.district ?? '', communityId: '' });
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ community?: string; reason?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const save = async () => {
    if (!person || busy) return;
    const e: typeof errors = {};
    if (!choice.communityId) e.community = '请选择社区（村居）';
    const r = reasonProblem(reason);
    if (r) e.reason = r;
    setErrors(e);
    if (e.community || e.reason) return;
    setBusy(true);
    setError(null);
    try {
      const res = await staffAdmin({ action: 'setPersonCommunity', personId: person.personId, communityId: choice.communityId, reason: reason.trim() });
      setDone(res.community);
    } catch (err) {
      if (err instanceof CloudCallError && err.field === 'reason') setErrors({ reason: staffError(err) });
      else setError(staffError(err));
    } finally {
      setBusy(false);
    }
  };

  return {
    choice,
    setChoice: (c: CommunityChoice) => {
      setChoice(c);
      setErrors((x) => ({ ...x, community: undefined }));
    },
    reason,
    setReason: (v: string) => {
      setReason(v);
      setErrors((x) => ({ ...x, reason: undefined }));
    },
    errors,
    error,
    busy,
    done,
    save,
  };
}

/**
 * State of the 实名核验 page: the caller's verification status, the form (a draft without the ID
 * number and mobile), face verification redeemed with verifySelf, and the document path
 * (addFamilyMember as 本人, an identity document reviewed by staff) for those who cannot use it.
 */
import { useEffect, useMemo, useState } from 'react';
import Taro from '@tarojs/taro';
import type { EligibilityAnswers, FamilyMember, IdentityStatus } from '@contracts/resident';
import { answersError, askedAnswers, questionsFor } from '@/components/resident/PersonFields';
import { useFaceVerify } from '@/components/resident/use-face-verify';
import { resident } from '@/services/resident';
import { CloudCallError, userMessage } from '@/services/errors';
import { useDraft } from '@/services/drafts';
import { ageOn, hasErrors, parseIdNumber, sexFromId, shanghaiToday, validateMember, type FormErrors, type MemberForm } from '@/services/validate';

export const VERIFY_PAGE = '/pages/verify/index';

export interface VerifyDraft {
  name: string;
  sex: MemberForm['sex'];
  idNumber: string;
  hukou: MemberForm['hukou'];
  address: string;
  mobile: string;
  answers: EligibilityAnswers;
  /** 所在社区 (issue 11): optional. */
  district?: string;
  communityId?: string;
}

const EMPTY: VerifyDraft = { name: '', sex: '', idNumber: '', hukou: '', address: '', mobile: '', answers: {}, district: '', communityId: '' };

/** Where to go after a page asked for verification first: only our own pages. */
export function safeNext(raw: string | undefined): string | null {
  if (!raw) return null;
  let url = raw;
  try {
    url = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return /^\/pages\/[a-z-]+\/index(\?[A-Za-z0-9_=&%,:-]*)?$/.test(url) ? url : null;
}

/** After a successful verification or registration: the next step of the flow. */
export function afterRegistration(m: Pick<FamilyMember, 'personId' | 'created' | 'needsDocument'>, next: string | null): string {
  if (next) return next;
  if (m.needsDocument) return `/pages/documents/index?personId=${m.personId}&flow=1`;
  if (m.created) return `/pages/quote/index?persons=${m.personId}&skipDocs=1`;
  return '/pages/index/index';
}

export function useVerifySelf(nextParam: string | undefined) {
  const next = safeNext(nextParam);
  const [status, setStatus] = useState<IdentityStatus | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [form, patch, clearDraft] = useDraft<VerifyDraft>('verify-self', EMPTY, ['idNumber', 'mobile']);
  const [errors, setErrors] = useState<FormErrors<keyof MemberForm | 'answers'>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [docBusy, setDocBusy] = useState(false);
  const today = shanghaiToday();

  const load = async () => {
    setLoading(true);
    setLoadError(null);
    try {
      const consent = await resident({ action: 'consentStatus' });
      if (!consent.accepted) {
        const back = `${VERIFY_PAGE}${next ? `?next=${encodeURIComponent(next)}` : ''}`;
        void Taro.redirectTo({ url: `/pages/consent/index?next=${encodeURIComponent(back)}` });
        return;
      }
      setStatus(await resident({ action: 'identityStatus' }));
    } catch (e) {
      setLoadError(e);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const facts = useMemo(() => parseIdNumber(form.idNumber), [form.idNumber]);
  const age = facts ? ageOn(facts.birthDate, today) : null;
  const questions = questionsFor(form.hukou, age, form.answers);

  const set = <K extends keyof VerifyDraft>(k: K, v: VerifyDraft[K]) => {
    patch({ [k]: v } as Partial<VerifyDraft>);
    if (errors[k as keyof MemberForm]) setErrors((e) => ({ ...e, [k]: undefined }));
  };

  /** The form's facts, checked; null (with the errors shown) when something must be fixed. */
  function checked() {
    setFormError(null);
    const e: FormErrors<keyof MemberForm | 'answers'> = validateMember({ ...form, relation: 'self', guardianConsent: true }, today);
    e.answers = answersError(form.hukou, age, form.answers);
    setErrors(e);
    if (hasErrors(e)) {
      setFormError('请按提示修改标红的内容');
      return null;
    }
    return {
      name: form.name.trim(),
      sex: sexFromId(form.idNumber) as 'male' | 'female',
      idNumber: form.idNumber.trim().toUpperCase(),
      hukou: form.hukou as 'local',
      address: form.address.trim(),
      mobile: form.mobile.trim(),
      answers: askedAnswers(questions, form.answers),
      ...(form.communityId ? { communityId: form.communityId } : {}),
    };
  }

  function showFailure(err: unknown) {
    const field = err instanceof CloudCallError ? err.field : undefined;
    if (field && (field in EMPTY || field === 'answers')) {
      setErrors((x) => ({ ...x, [field]: userMessage(err) }));
      setFormError('请按提示修改标红的内容');
    } else setFormError(userMessage(err));
  }

  const face = useFaceVerify(async (verifyResult) => {
    const facts = checked();
    if (!facts) return;
    try {
      const m = await resident({ action: 'verifySelf', ...facts, verifyResult });
      clearDraft();
      void Taro.redirectTo({ url: afterRegistration(m, next) });
    } catch (e) {
      showFailure(e);
    }
  });

  function startFace() {
    if (face.busy) return;
    const facts = checked();
    if (facts) void face.start(facts.name, facts.idNumber);
  }

  /** The document path: registered as 本人 without face verification; staff review the document. */
  async function useDocument() {
    if (docBusy) return;
    const facts = checked();
    if (!facts) return;
    setDocBusy(true);
    try {
      const m = await resident({ action: 'addFamilyMember', relation: 'self', ...facts });
      clearDraft();
      void Taro.redirectTo({ url: `/pages/documents/index?personId=${m.personId}&flow=1` });
    } catch (e) {
      showFailure(e);
    } finally {
      setDocBusy(false);
    }
  }

  return { status, loading, loadError, reload: load, form, set, patch, errors, formError, questions, face, startFace, useDocument, docBusy, next };
}

/**
 * Step 1 of enrollment (选择参保人): register the resident or a family member. Eligibility
 * questions appear only when they matter (non-local hukou, foreigners, minors). Nothing typed is
 * lost when the person goes back (the page stays in the stack; a draft without the ID number and
 * mobile is kept in storage).
 */
import { useEffect, useMemo, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { EligibilityAnswers } from '@contracts/resident';
import PageShell from '@/components/PageShell';
import StepBar from '@/components/resident/StepBar';
import { Choices, Field, Tick } from '@/components/resident/Field';
import { answersError, askedAnswers, EligibilityQuestions, PersonFields, questionsFor } from '@/components/resident/PersonFields';
import VerifyCard from '@/components/resident/VerifyCard';
import { Button } from '@/ui/nutui';
import { resident } from '@/services/resident';
import { CloudCallError, userMessage } from '@/services/errors';
import { useDraft } from '@/services/drafts';
import { CommunityPicker } from '@/components/resident/CommunityPicker';
import { choicesFrom, RELATION_TEXT } from '@/services/format';
import { ageOn, hasErrors, parseIdNumber, sexFromId, shanghaiToday, validateMember, type MemberForm } from '@/services/validate';
import '../../styles/resident.scss';

export const CONSENT_PAGE = '/pages/consent/index';

interface Draft extends MemberForm {
  answers: EligibilityAnswers;
  /** For a child under 18: the caller is the father, the mother or another guardian. */
  parentRelation: '' | 'father' | 'mother' | 'guardian';
  /** 所在社区 (issue 11): optional; set on a record this registration creates. */
  district?: string;
  communityId?: string;
}

export const PARENT_RELATION_TEXT = { father: '父亲', mother: '母亲', guardian: '其他监护人' } as const;

const EMPTY: Draft = {
  name: '',
  sex: '',
  idNumber: '',
  relation: '',
  hukou: '',
  address: '',
  mobile: '',
  guardianConsent: false,
  answers: {},
  parentRelation: '',
  district: '',
  communityId: '',
};

// The questions live with the person form (one form kit); re-exported for existing callers.
export { questionsFor, QUESTION_TEXT } from '@/components/resident/PersonFields';

/** Family members added here; the resident themself registers through 实名核验 (pages/verify). */
const { self: _self, ...FAMILY_RELATIONS } = RELATION_TEXT;

/** Where the flow goes after adding, by what the server says comes next. */
export function afterAdd(m: { personId: string; needsDocument: boolean; next: 'none' | 'upload_evidence' | 'invite' | 'wait_staff' }, together: string[]): string {
  const withParam = together.length ? `&with=${together.join(',')}` : '';
  if (m.next === 'upload_evidence') return `/pages/documents/index?personId=${m.personId}&evidence=1&flow=1${withParam}`;
  if (m.next === 'invite' || m.next === 'wait_staff') return `/pages/person/index?personId=${m.personId}`;
  if (m.needsDocument) return `/pages/documents/index?personId=${m.personId}&flow=1${withParam}`;
  const persons = [...together.filter((id) => id !== m.personId), m.personId].join(',');
  return `/pages/quote/index?persons=${persons}&skipDocs=1`;
}

/** Ids of the people already in this flow (`with` param), to pay for together. */
export function withIds(raw: string | undefined): string[] {
  return (raw ?? '').split(',').filter((id) => /^[A-Za-z0-9_-]+$/.test(id));
}

export default function FamilyAddPage() {
  const { params } = useRouter();
  const together = withIds(params.with);
  const [form, patch, clearDraft] = useDraft<Draft>('family-add', EMPTY, ['idNumber', 'mobile']);
  const [errors, setErrors] = useState<Partial<Record<keyof MemberForm | 'parentRelation' | 'answers', string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [checking, setChecking] = useState(true);
  const [checkError, setCheckError] = useState<unknown>(null);
  const [verified, setVerified] = useState(true);
  // The caller's own address and mobile: family members usually share them (one tap fills both).
  const [mine, setMine] = useState<{ address: string | null; mobile: string | null } | null>(null);
  const today = shanghaiToday();

  // Consent comes first: without it, the notice is shown before anything is typed.
  const check = () => {
    setChecking(true);
    setCheckError(null);
    resident({ action: 'consentStatus' })
      .then(async (s) => {
        if (!s.accepted) {
          void Taro.redirectTo({ url: `${CONSENT_PAGE}?next=${encodeURIComponent('/pages/family-add/index')}` });
          return;
        }
        // Only a verified resident may add family members (the server checks it again).
        const status = await resident({ action: 'identityStatus' });
        setVerified(status.verified);
        setMine(status.contact ?? null);
      })
      .catch(setCheckError)
      .finally(() => setChecking(false));
  };
  useEffect(check, []);

  const facts = useMemo(() => parseIdNumber(form.idNumber), [form.idNumber]);
  const age = facts ? ageOn(facts.birthDate, today) : null;
  const questions = questionsFor(form.hukou, age, form.answers);
  const child = age !== null && age < 14;
  // Under 18 the caller acts as a parent or guardian (evidence follows right after adding).
  const minorChild = form.relation === 'child' && age !== null && age < 18;

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    patch({ [k]: v } as Partial<Draft>);
    if (errors[k as keyof MemberForm]) setErrors((e) => ({ ...e, [k]: undefined }));
  };

  async function submit() {
    if (busy) return;
    setFormError(null);
    const e: Partial<Record<keyof MemberForm | 'parentRelation' | 'answers', string>> = validateMember(form.relation === 'self' ? { ...form, relation: '' } : form, today);
    if (minorChild && !form.parentRelation) e.parentRelation = '请选择您与孩子的关系';
    const unanswered = answersError(form.hukou, age, form.answers);
    if (unanswered) e.answers = unanswered;
    setErrors(e);
    if (hasErrors(e)) {
      setFormError('请按提示修改标红的内容');
      return;
    }
    // Only the answers to questions asked now are sent.
    const answers = askedAnswers(questions, form.answers);
    setBusy(true);
    try {
      const m = await resident({
        action: 'addFamilyMember',
        name: form.name.trim(),
        sex: sexFromId(form.idNumber) as 'male' | 'female',
        idNumber: form.idNumber.trim().toUpperCase(),
        relation: form.relation as 'self',
        hukou: form.hukou as 'local',
        address: form.address.trim(),
        mobile: form.mobile.trim(),
        answers,
        ...(child ? { consentForChild: true } : {}),
        ...(minorChild && form.parentRelation ? { parentRelation: form.parentRelation } : {}),
        ...(form.communityId ? { communityId: form.communityId } : {}),
      });
      clearDraft();
      void Taro.navigateTo({ url: afterAdd(m, together) });
    } catch (err) {
      const msg = userMessage(err);
      const field = err instanceof CloudCallError ? err.field : undefined;
      if (err instanceof CloudCallError && err.code === 'CONSENT_REQUIRED') {
        void Taro.navigateTo({ url: `${CONSENT_PAGE}?next=${encodeURIComponent('/pages/family-add/index')}` });
      } else if (field && (field in EMPTY || field === 'answers')) {
        setErrors((x) => ({ ...x, [field === 'consentForChild' ? 'guardianConsent' : field]: msg }));
        setFormError('请按提示修改标红的内容');
      } else setFormError(msg);
    } finally {
      setBusy(false);
    }
  }

  // Unverified: nothing to fill in yet; the server would refuse (VERIFY_FIRST) anyway.
  if (!checking && !checkError && !verified) {
    return (
      <PageShell title='添加参保人'>
        <VerifyCard first next='/pages/family-add/index' reason='为家人办理前，需要先确认是您本人：填写您的身份证信息，再刷脸核验，只需一次。' />
      </PageShell>
    );
  }

  return (
    <PageShell title='添加参保人' subtitle={together.length ? `添加后与已选的 ${together.length} 人一起缴费` : '填写证件上的信息'} loading={checking} error={checkError} onRetry={check}>
      <StepBar current={0} />


      <View className='hf-card'>
        <Field label='与您的关系' error={errors.relation}>
          <Choices
            name='relation'
            columns={3}
            value={form.relation === 'self' ? '' : form.relation}
            onChange={(v) => set('relation', v)}
            options={choicesFrom(FAMILY_RELATIONS)}
          />
        </Field>
        <View className='hf-link hf-link--left' role='link' data-testid='self-via-verify' onClick={() => void Taro.navigateTo({ url: '/pages/verify/index' })}>
          <Text>为本人参保，请先完成实名核验 ›</Text>
        </View>

        <PersonFields value={form} errors={errors} onChange={(k, v) => set(k, v as never)} />
        {mine && (mine.address || mine.mobile) ? (
          <View
            className='hf-link hf-link--left'
            role='button'
            data-testid='use-my-contact'
            onClick={() => {
              patch({ address: mine.address ?? form.address, mobile: mine.mobile ?? form.mobile });
              setErrors((e) => ({ ...e, address: undefined, mobile: undefined }));
            }}
          >
            <Text>与我的地址和手机号相同，一键填入</Text>
          </View>
        ) : null}
        <CommunityPicker value={{ district: form.district ?? '', communityId: form.communityId ?? '' }} onChange={(c) => patch(c)} />

        {minorChild ? (
          <Field label='您与孩子的关系' error={errors.parentRelation} hint='添加后请上传孩子的户口簿页或出生医学证明'>
            <Choices name='parentRelation' columns={3} value={form.parentRelation} onChange={(v) => set('parentRelation', v)} options={choicesFrom(PARENT_RELATION_TEXT)} />
          </Field>
        ) : null}
      </View>

      <EligibilityQuestions
        questions={questions}
        answers={form.answers}
        error={errors.answers}
        onChange={(answers) => {
          patch({ answers });
          if (errors.answers) setErrors((e) => ({ ...e, answers: answersError(form.hukou, age, answers) }));
        }}
      />

      {child ? (
        <View className='hf-card' data-testid='guardian-consent'>
          <Text className='hf-card__title'>监护人同意</Text>
          <Text className='hf-card__text'>孩子未满14周岁，需要您作为监护人同意《隐私保护说明》后为孩子登记信息。</Text>
          <Tick checked={form.guardianConsent} onChange={(v) => set('guardianConsent', v)} testId='guardian-tick' error={errors.guardianConsent}>
            <Text>我是孩子的监护人，同意为孩子登记上述信息</Text>
          </Tick>
        </View>
      ) : null}

      {formError ? (
        <View className='hf-form-error' role='alert' data-testid='form-error'>
          <Text>{formError}</Text>
        </View>
      ) : null}

      <View className='hf-actions'>
        <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void submit()}>
          下一步
        </Button>
      </View>
    </PageShell>
  );
}

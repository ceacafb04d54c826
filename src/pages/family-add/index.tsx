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
import { Choices, Field, Tick, YesNo } from '@/components/resident/Field';
import { Button, Input } from '@/ui/nutui';
import { resident } from '@/services/resident';
import { CloudCallError, userMessage } from '@/services/errors';
import { useDraft } from '@/services/drafts';
import { choicesFrom, HUKOU_TEXT, RELATION_TEXT, SEX_TEXT } from '@/services/format';
import { ageOn, hasErrors, parseIdNumber, shanghaiToday, validateMember, type MemberForm } from '@/services/validate';
import '../../styles/resident.scss';

export const CONSENT_PAGE = '/pages/consent/index';

/** What each household-registration type covers, under its label in the form. */
const HUKOU_HINT: Record<keyof typeof HUKOU_TEXT, string> = {
  local: '户口在合肥市（含各县市区）',
  nonlocal: '户口不在合肥，在合肥居住、工作或上学',
  foreign: '持外国护照，在合肥居住',
};

interface Draft extends MemberForm {
  answers: EligibilityAnswers;
}

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
};

/** Which eligibility questions to ask, given the hukou and the age from the ID number. */
export function questionsFor(hukou: MemberForm['hukou'], age: number | null, answers: EligibilityAnswers): (keyof EligibilityAnswers)[] {
  const q: (keyof EligibilityAnswers)[] = [];
  const minor = age !== null && age < 18;
  if (hukou === 'nonlocal') {
    q.push('residencePermit');
    if (minor) q.push('parentHasResidencePermit', 'childOfLocalInsuredWorker');
    if (answers.residencePermit || answers.parentHasResidencePermit) q.push('insuredAtOrigin');
    q.push('student');
  }
  if (hukou === 'foreign') {
    q.push('foreignerResidencePermit', 'foreignExpertFamily');
  }
  if (hukou) q.push('employeeInsured', 'enrolledElsewhere');
  return q;
}

export const QUESTION_TEXT: Record<keyof EligibilityAnswers, { q: string; hint?: string }> = {
  residencePermit: { q: '是否持有合肥市居住证？' },
  parentHasResidencePermit: { q: '孩子的父亲或母亲是否持有合肥市居住证？' },
  childOfLocalInsuredWorker: { q: '孩子是否随在合肥就业并参保的父母生活？' },
  insuredAtOrigin: { q: '是否已在户籍所在地参加本年度居民医保？', hint: '已在户籍地参保的，不能在合肥重复参保' },
  student: { q: '是否为在合肥就读的在校学生？' },
  foreignerResidencePermit: { q: '是否持有中国居留许可、在合肥居住且未就业？' },
  foreignExpertFamily: { q: '是否为在合肥工作的外国专家的配偶或未成年子女？' },
  employeeInsured: { q: '是否已参加职工医保？', hint: '已参加职工医保的，不需要再参加居民医保' },
  enrolledElsewhere: { q: '是否已在其他城市参加本年度居民医保？' },
};

/** Ids of the people already in this flow (`with` param), to pay for together. */
export function withIds(raw: string | undefined): string[] {
  return (raw ?? '').split(',').filter((id) => /^[A-Za-z0-9_-]+$/.test(id));
}

export default function FamilyAddPage() {
  const { params } = useRouter();
  const together = withIds(params.with);
  const [form, patch, clearDraft] = useDraft<Draft>('family-add', EMPTY, ['idNumber', 'mobile']);
  const [errors, setErrors] = useState<Partial<Record<keyof MemberForm, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [checking, setChecking] = useState(true);
  const [checkError, setCheckError] = useState<unknown>(null);
  const today = shanghaiToday();

  // Consent comes first: without it, the notice is shown before anything is typed.
  const check = () => {
    setChecking(true);
    setCheckError(null);
    resident({ action: 'consentStatus' })
      .then((s) => {
        if (!s.accepted) void Taro.redirectTo({ url: `${CONSENT_PAGE}?next=${encodeURIComponent('/pages/family-add/index')}` });
      })
      .catch(setCheckError)
      .finally(() => setChecking(false));
  };
  useEffect(check, []);

  const facts = useMemo(() => parseIdNumber(form.idNumber), [form.idNumber]);
  const age = facts ? ageOn(facts.birthDate, today) : null;
  const questions = questionsFor(form.hukou, age, form.answers);
  const child = age !== null && age < 14;

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    patch({ [k]: v } as Partial<Draft>);
    if (errors[k as keyof MemberForm]) setErrors((e) => ({ ...e, [k]: undefined }));
  };

  async function submit() {
    if (busy) return;
    setFormError(null);
    const e = validateMember(form, today);
    setErrors(e);
    if (hasErrors(e)) {
      setFormError('请按提示修改标红的内容');
      return;
    }
    // Only the answers to questions asked now are sent.
    const answers: EligibilityAnswers = {};
    for (const k of questions) if (form.answers[k] !== undefined) answers[k] = form.answers[k];
    setBusy(true);
    try {
      const m = await resident({
        action: 'addFamilyMember',
        name: form.name.trim(),
        sex: form.sex as 'male' | 'female',
        idNumber: form.idNumber.trim().toUpperCase(),
        relation: form.relation as 'self',
        hukou: form.hukou as 'local',
        address: form.address.trim(),
        mobile: form.mobile.trim(),
        answers,
        ...(child ? { consentForChild: true } : {}),
      });
      clearDraft();
      const persons = [...together.filter((id) => id !== m.personId), m.personId].join(',');
      const url = m.needsDocument
        ? `/pages/documents/index?personId=${m.personId}&flow=1${together.length ? `&with=${together.join(',')}` : ''}`
        : `/pages/quote/index?persons=${persons}&skipDocs=1`;
      void Taro.navigateTo({ url });
    } catch (err) {
      const msg = userMessage(err);
      const field = err instanceof CloudCallError ? err.field : undefined;
      if (err instanceof CloudCallError && err.code === 'CONSENT_REQUIRED') {
        void Taro.navigateTo({ url: `${CONSENT_PAGE}?next=${encodeURIComponent('/pages/family-add/index')}` });
      } else if (field && field in EMPTY) {
        setErrors((x) => ({ ...x, [field === 'consentForChild' ? 'guardianConsent' : field]: msg }));
        setFormError('请按提示修改标红的内容');
      } else setFormError(msg);
    } finally {
      setBusy(false);
    }
  }

  return (
    <PageShell title='添加参保人' subtitle={together.length ? `添加后与已选的 ${together.length} 人一起缴费` : '填写证件上的信息'} loading={checking} error={checkError} onRetry={check}>
      <StepBar current={0} />

      <View className='hf-card'>
        <Field label='与您的关系' error={errors.relation}>
          <Choices
            name='relation'
            columns={4}
            value={form.relation}
            onChange={(v) => set('relation', v)}
            options={choicesFrom(RELATION_TEXT)}
          />
        </Field>

        <Field label='姓名' error={errors.name}>
          <View className='hf-field__box'>
            <Input name='name' value={form.name} placeholder='与证件上的姓名一致' maxLength={40} onChange={(v) => set('name', v)} />
          </View>
        </Field>

        <Field label='身份证号码' error={errors.idNumber} hint='18位，最后一位可能是 X'>
          <View className='hf-field__box'>
            <Input
              name='idNumber'
              type={process.env.TARO_ENV === 'weapp' ? 'idcard' : 'text'}
              value={form.idNumber}
              placeholder='请输入18位身份证号码'
              maxLength={18}
              onChange={(v) => set('idNumber', v)}
            />
          </View>
        </Field>

        <Field label='性别' error={errors.sex}>
          <Choices
            name='sex'
            value={form.sex}
            onChange={(v) => set('sex', v)}
            options={choicesFrom(SEX_TEXT)}
          />
        </Field>

        <Field label='户籍类型' error={errors.hukou}>
          <Choices
            name='hukou'
            columns={1}
            value={form.hukou}
            onChange={(v) => set('hukou', v)}
            options={choicesFrom(HUKOU_TEXT, HUKOU_HINT)}
          />
        </Field>

        <Field label='常住地址' error={errors.address}>
          <View className='hf-field__box'>
            <Input name='address' value={form.address} placeholder='例如：合肥市蜀山区长江西路100号' maxLength={120} onChange={(v) => set('address', v)} />
          </View>
        </Field>

        <Field label='手机号码' error={errors.mobile} hint='用于接收参保缴费通知'>
          <View className='hf-field__box'>
            <Input name='mobile' type='number' value={form.mobile} placeholder='11位手机号码' maxLength={11} onChange={(v) => set('mobile', v)} />
          </View>
        </Field>
      </View>

      {questions.length ? (
        <View className='hf-card' data-testid='eligibility-questions'>
          <Text className='hf-card__title'>参保条件</Text>
          <Text className='hf-card__text'>请如实回答，系统据此判断能否参保和缴费金额</Text>
          <View style={{ marginTop: '16px' }} />
          {questions.map((k) => (
            <YesNo
              key={k}
              name={k}
              question={QUESTION_TEXT[k].q}
              hint={QUESTION_TEXT[k].hint}
              value={form.answers[k]}
              onChange={(v) => patch({ answers: { ...form.answers, [k]: v } })}
            />
          ))}
        </View>
      ) : null}

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

/**
 * Newborn enrollment: the parent enters the child's birth date, name, sex and birth-certificate
 * number (as the guardian, consenting for the child), then chooses the benefit year(s): the
 * engine lists the current and the next year with the amount of each (未公布 years cannot be
 * chosen). Each chosen year becomes its own enrollment in one order.
 */
import { useEffect, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Picker, Text, View } from '@tarojs/components';
import type { EligibilityAnswers, ResidentReply } from '@contracts/resident';
import { newbornQuestions, unansweredNewbornQuestions } from '@contracts/eligibility-questions';
import PageShell from '@/components/PageShell';
import StepBar from '@/components/resident/StepBar';
import QuoteBreakdown from '@/components/resident/QuoteBreakdown';
import { Choices, Field, Tick } from '@/components/resident/Field';
import VerifyCard from '@/components/resident/VerifyCard';
import { askedAnswers, EligibilityQuestions } from '@/components/resident/PersonFields';
import { Button, Input } from '@/ui/nutui';
import { resident } from '@/services/resident';
import { CloudCallError, userMessage } from '@/services/errors';
import { useDraft } from '@/services/drafts';
import { choicesFrom, formatYuan, SEX_TEXT } from '@/services/format';
import { hasErrors, shanghaiToday, validateNewborn, type NewbornForm } from '@/services/validate';
import '../../styles/resident.scss';

type Years = ResidentReply<'quoteNewborn'>['years'];

// Taro's page-show hook (absent where only the H5 API library is loaded, e.g. unit tests).
const useShow: (cb: () => void) => void = typeof useDidShow === 'function' ? useDidShow : () => undefined;

interface Draft extends NewbornForm {
  personId: string;
}

const EMPTY: Draft = { name: '', sex: '', birthDate: '', birthCertificateNo: '', hukou: '', parentRelation: '', guardianConsent: false, personId: '' };

export function YearTile({ y, on, onToggle }: { y: Years[number]; on: boolean; onToggle: () => void }) {
  const amount = y.quote?.payableFen;
  return (
    <View
      className={`hf-choice${on ? ' hf-choice--on' : ''}${y.selectable ? '' : ' hf-choice--disabled'}`}
      role='checkbox'
      aria-checked={on}
      aria-disabled={!y.selectable}
      data-testid={`year-${y.benefitYear}`}
      onClick={y.selectable ? onToggle : undefined}
    >
      <Text className='hf-choice__label'>
        {on ? '☑ ' : y.selectable ? '☐ ' : ''}
        {y.benefitYear}年度
      </Text>
      {/* The server words a year it does not hold: 尚未公布 only for a future year. */}
      <Text className='hf-choice__desc'>{y.selectable && amount != null ? `应缴 ¥${formatYuan(amount)}` : y.label}</Text>
    </View>
  );
}

export default function NewbornPage() {
  const [form, patch, clearDraft] = useDraft<Draft>('newborn', EMPTY, ['birthCertificateNo']);
  const [errors, setErrors] = useState<Partial<Record<keyof NewbornForm, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [years, setYears] = useState<Years | null>(null);
  const [chosen, setChosen] = useState<number[]>([]);
  const [checking, setChecking] = useState(true);
  const [checkError, setCheckError] = useState<unknown>(null);
  const [verified, setVerified] = useState(true);
  // A non-local or foreign baby qualifies through its parents: the server evaluates these answers.
  const [answers, setAnswers] = useState<EligibilityAnswers>({});
  const [answersError, setAnswersError] = useState<string | undefined>();
  const questions = newbornQuestions(form.hukou, answers);
  const today = shanghaiToday();

  const check = () => {
    setChecking(true);
    setCheckError(null);
    resident({ action: 'consentStatus' })
      .then(async (s) => {
        if (!s.accepted) {
          void Taro.redirectTo({ url: `/pages/consent/index?next=${encodeURIComponent('/pages/newborn/index')}` });
          return;
        }
        // Only a verified parent or guardian registers a child (the server checks it again).
        setVerified((await resident({ action: 'identityStatus' })).verified);
      })
      .catch(setCheckError)
      .finally(() => setChecking(false));
  };
  useEffect(check, []);

  // A refresh on the year page: the child is registered (its id is in the draft), so the page
  // resumes on the years instead of an empty form. A draft naming a child no longer ours is dropped.
  useEffect(() => {
    if (checking || checkError || !verified || !form.personId || years) return;
    loadYears(form.personId).catch((e) => (e instanceof CloudCallError && e.code === 'PERSON_NOT_FOUND' ? patch({ personId: '' }) : undefined));
  }, [checking, checkError, verified]);

  // Back from the evidence upload: the claim is active now, the years can be quoted.
  const [awaitingEvidence, setAwaitingEvidence] = useState(false);
  useShow(() => {
    if (!awaitingEvidence || !form.personId) return;
    setAwaitingEvidence(false);
    loadYears(form.personId).catch((e) => setFormError(userMessage(e)));
  });

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    patch({ [k]: v } as Partial<Draft>);
    if (errors[k as keyof NewbornForm]) setErrors((e) => ({ ...e, [k]: undefined }));
  };

  async function loadYears(personId: string) {
    const r = await resident({ action: 'quoteNewborn', personId });
    setYears(r.years);
    setChosen(r.years.filter((y) => y.selectable).slice(0, 1).map((y) => y.benefitYear));
  }

  async function submit() {
    if (busy) return;
    setFormError(null);
    const e = validateNewborn(form, today);
    setErrors(e);
    const unanswered = unansweredNewbornQuestions(form.hukou, answers).length ? '请回答全部参保条件问题' : undefined;
    setAnswersError(unanswered);
    if (hasErrors(e) || unanswered) return setFormError('请按提示修改标红的内容');
    setBusy(true);
    try {
      const m = await resident({
        action: 'registerNewborn',
        name: form.name.trim(),
        sex: form.sex as 'male',
        birthDate: form.birthDate.trim(),
        birthCertificateNo: form.birthCertificateNo.trim().toUpperCase(),
        hukou: form.hukou as 'local',
        parentRelation: form.parentRelation as 'father',
        answers: askedAnswers(questions, answers),
        consentForChild: true,
      });
      patch({ personId: m.personId });
      if (m.next === 'upload_evidence') {
        // The birth certificate (or 户口簿 page) shows the caller is the parent; back here afterwards.
        setAwaitingEvidence(true);
        void Taro.navigateTo({ url: `/pages/documents/index?personId=${m.personId}&evidence=1&doc=birth_certificate` });
      } else if (m.next === 'wait_staff') setFormError('这个孩子已由其他家庭登记，社区工作人员核实后会通知您，核实前暂时不能缴费。');
      else await loadYears(m.personId);
    } catch (err) {
      const msg = userMessage(err);
      const field = err instanceof CloudCallError ? err.field : undefined;
      if (field && field in EMPTY) setErrors((x) => ({ ...x, [field]: msg }));
      else if (field === 'consentForChild') setErrors((x) => ({ ...x, guardianConsent: msg }));
      else if (field === 'answers') setAnswersError(msg);
      else setFormError(msg);
    } finally {
      setBusy(false);
    }
  }

  function pay() {
    if (!chosen.length) return setFormError('请至少选择一个参保年度');
    const items = chosen
      .sort()
      .map((y) => `${form.personId}:${y}`)
      .join(',');
    clearDraft();
    void Taro.navigateTo({ url: `/pages/pay/index?items=${items}` });
  }

  if (years) {
    const details = years.filter((y) => y.quote && chosen.includes(y.benefitYear));
    return (
      <PageShell title='选择参保年度' subtitle={`${form.name}（新生儿）`}>
        <StepBar current={2} skipped={[1]} />
        <View className='hf-card' data-testid='newborn-years'>
          <Text className='hf-card__title'>为孩子选择参保年度</Text>
          <Text className='hf-card__text'>新生儿可以参加出生当年和下一年度的居民医保，可选一个或两个，每个年度单独缴费。</Text>
          <View className='hf-choices hf-choices--1' style={{ marginTop: '16px' }}>
            {years.map((y) => (
              <YearTile
                key={y.benefitYear}
                y={y}
                on={chosen.includes(y.benefitYear)}
                onToggle={() => setChosen((c) => (c.includes(y.benefitYear) ? c.filter((x) => x !== y.benefitYear) : [...c, y.benefitYear]))}
              />
            ))}
          </View>
        </View>
        {details.map((y) => (
          <QuoteBreakdown key={y.benefitYear} quote={y.quote!} name={`${form.name} · ${y.benefitYear}年度`} />
        ))}
        {formError ? (
          <View className='hf-form-error' role='alert'>
            <Text>{formError}</Text>
          </View>
        ) : null}
        <View className='hf-actions'>
          <Button type='primary' size='large' block disabled={!chosen.length} onClick={pay}>
            去支付
          </Button>
          <Button size='large' block fill='outline' onClick={() => setYears(null)}>
            返回修改信息
          </Button>
        </View>
      </PageShell>
    );
  }

  const dateInput = (
    <View className='hf-field__box'>
      <Input name='birthDate' value={form.birthDate} placeholder='例如 2024-03-01' maxLength={10} onChange={(v) => set('birthDate', v)} />
    </View>
  );

  // Unverified: nothing to fill in yet; the server would refuse (VERIFY_FIRST) anyway.
  if (!checking && !checkError && !verified) {
    return (
      <PageShell title='新生儿参保'>
        <VerifyCard first next='/pages/newborn/index' reason='为孩子办理前，需要先确认是您本人：填写您的身份证信息，再刷脸核验，只需一次。' />
      </PageShell>
    );
  }

  return (
    <PageShell title='新生儿参保' subtitle='由父母或监护人办理' loading={checking} error={checkError} onRetry={check}>
      <StepBar current={0} />
      <View className='hf-card'>
        <Field label='出生日期' error={errors.birthDate}>
          {process.env.TARO_ENV === 'weapp' ? (
            <Picker mode='date' value={form.birthDate || today} end={today} onChange={(e) => set('birthDate', String(e.detail.value))}>
              {dateInput}
            </Picker>
          ) : (
            dateInput
          )}
        </Field>
        <Field label='孩子姓名' error={errors.name}>
          <View className='hf-field__box'>
            <Input name='name' value={form.name} placeholder='与出生医学证明一致' maxLength={40} onChange={(v) => set('name', v)} />
          </View>
        </Field>
        <Field label='性别' error={errors.sex}>
          <Choices name='sex' value={form.sex} onChange={(v) => set('sex', v)} options={choicesFrom(SEX_TEXT)} />
        </Field>
        <Field label='出生医学证明编号' error={errors.birthCertificateNo} hint='证明右上角的编号，如 Q340123456'>
          <View className='hf-field__box'>
            <Input name='birthCertificateNo' value={form.birthCertificateNo} placeholder='字母和数字' maxLength={20} onChange={(v) => set('birthCertificateNo', v)} />
          </View>
        </Field>
        <Field label='孩子的户籍' error={errors.hukou}>
          <Choices
            name='hukou'
            columns={3}
            value={form.hukou}
            onChange={(v) => set('hukou', v)}
            options={[
              { value: 'local', label: '合肥户籍' },
              { value: 'nonlocal', label: '外地户籍' },
              { value: 'foreign', label: '外籍' },
            ]}
          />
        </Field>
        <Field label='您与孩子的关系' error={errors.parentRelation}>
          <Choices
            name='parentRelation'
            columns={3}
            value={form.parentRelation}
            onChange={(v) => set('parentRelation', v)}
            options={[
              { value: 'father', label: '父亲' },
              { value: 'mother', label: '母亲' },
              { value: 'guardian', label: '其他监护人' },
            ]}
          />
        </Field>
        <Tick checked={form.guardianConsent} onChange={(v) => set('guardianConsent', v)} testId='guardian-tick' error={errors.guardianConsent}>
          <Text>我是孩子的监护人，同意《隐私保护说明》，为孩子登记上述信息</Text>
        </Tick>
      </View>
      <EligibilityQuestions
        questions={questions}
        answers={answers}
        error={answersError}
        onChange={(a) => {
          setAnswers(a);
          if (answersError) setAnswersError(unansweredNewbornQuestions(form.hukou, a).length ? '请回答全部参保条件问题' : undefined);
        }}
      />
      {formError ? (
        <View className='hf-form-error' role='alert'>
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

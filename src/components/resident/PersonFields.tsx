/**
 * The person form of the resident pages (实名核验, 添加家庭成员, 修改信息): the identity fields
 * and the eligibility questions, built from the one form kit (Field, Choices, YesNo) so every
 * form reads and behaves the same.
 */
import { Text, Textarea, View } from '@tarojs/components';
import type { EligibilityAnswers } from '@contracts/resident';
import { eligibilityQuestions, unansweredQuestions } from '@contracts/eligibility-questions';
import { Input } from '@/ui/nutui';
import { Choices, Field, YesNo } from './Field';
import { choicesFrom, HUKOU_TEXT, SEX_TEXT } from '@/services/format';
import type { FormErrors, MemberForm } from '@/services/validate';
import '../../styles/resident.scss';

/** What each household-registration type covers, under its label in the form. */
export const HUKOU_HINT: Record<keyof typeof HUKOU_TEXT, string> = {
  local: '户口在合肥市（含各县市区）',
  nonlocal: '户口不在合肥，在合肥居住、工作或上学',
  foreign: '持外国护照，在合肥居住',
};

/** Which eligibility questions to ask, given the hukou and the age from the ID number (the server asks the same). */
export function questionsFor(hukou: MemberForm['hukou'], age: number | null, answers: EligibilityAnswers): (keyof EligibilityAnswers)[] {
  return eligibilityQuestions(hukou, age !== null && age < 18, answers);
}

/** The error under the questions card when some are left unanswered (the server refuses them too). */
export function answersError(hukou: MemberForm['hukou'], age: number | null, answers: EligibilityAnswers): string | undefined {
  return unansweredQuestions(hukou, age !== null && age < 18, answers).length ? '请回答全部参保条件问题' : undefined;
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

/** Only the answers to the questions asked now are sent. */
export function askedAnswers(questions: (keyof EligibilityAnswers)[], answers: EligibilityAnswers): EligibilityAnswers {
  const out: EligibilityAnswers = {};
  for (const k of questions) if (answers[k] !== undefined) out[k] = answers[k];
  return out;
}

export type PersonFieldKey = 'name' | 'idNumber' | 'sex' | 'hukou' | 'address' | 'mobile';
type Values = Pick<MemberForm, PersonFieldKey>;

/** The fields of a person, in the order they are on the ID card; `only` limits which are shown. */
export function PersonFields({
  value,
  errors,
  onChange,
  only,
}: {
  value: Partial<Values>;
  errors: FormErrors<keyof MemberForm>;
  /** Choice fields give their option value ('male', 'local', …). */
  onChange: (k: PersonFieldKey, v: string) => void;
  only?: PersonFieldKey[];
}) {
  // Sex comes from the ID number: it is shown only where a form asks for it by name.
  const shows = (k: PersonFieldKey) => (only ? only.includes(k) : k !== 'sex');
  return (
    <>
      {shows('name') ? (
        <Field label='姓名' error={errors.name}>
          <View className='hf-field__box'>
            <Input name='name' value={value.name ?? ''} placeholder='与证件上的姓名一致' maxLength={40} onChange={(v) => onChange('name', v)} />
          </View>
        </Field>
      ) : null}

      {shows('idNumber') ? (
        <Field label='身份证号码' error={errors.idNumber} hint='18位，最后一位可能是 X'>
          <View className='hf-field__box'>
            <Input
              name='idNumber'
              type={process.env.TARO_ENV === 'weapp' ? 'idcard' : 'text'}
              value={value.idNumber ?? ''}
              placeholder='请输入18位身份证号码'
              maxLength={18}
              onChange={(v) => onChange('idNumber', v)}
            />
          </View>
        </Field>
      ) : null}

      {shows('sex') ? (
        <Field label='性别' error={errors.sex}>
          <Choices name='sex' value={value.sex ?? ''} onChange={(v) => onChange('sex', v)} options={choicesFrom(SEX_TEXT)} />
        </Field>
      ) : null}

      {shows('hukou') ? (
        <Field label='户籍类型' error={errors.hukou}>
          <Choices name='hukou' columns={1} value={value.hukou ?? ''} onChange={(v) => onChange('hukou', v)} options={choicesFrom(HUKOU_TEXT, HUKOU_HINT)} />
        </Field>
      ) : null}

      {shows('address') ? (
        <Field label='常住地址' error={errors.address}>
          <View className='hf-field__box'>
            {/* A long address wraps onto more lines instead of scrolling out of sight in a one-line input. */}
            <Textarea
              className='hf-textarea'
              name='address'
              value={value.address ?? ''}
              placeholder='例如：合肥市蜀山区长江西路100号'
              maxlength={120}
              autoHeight
              onInput={(e) => onChange('address', e.detail.value)}
            />
          </View>
        </Field>
      ) : null}

      {shows('mobile') ? (
        <Field label='手机号码' error={errors.mobile} hint='用于接收参保缴费通知'>
          <View className='hf-field__box'>
            <Input name='mobile' type='number' value={value.mobile ?? ''} placeholder='11位手机号码' maxLength={11} onChange={(v) => onChange('mobile', v)} />
          </View>
        </Field>
      ) : null}
    </>
  );
}

/** The eligibility questions asked for this person, as 是 / 否 rows in their own card. */
export function EligibilityQuestions({
  questions,
  answers,
  onChange,
  error,
}: {
  questions: (keyof EligibilityAnswers)[];
  answers: EligibilityAnswers;
  onChange: (answers: EligibilityAnswers) => void;
  /** Shown under the questions, e.g. some left unanswered. */
  error?: string;
}) {
  if (!questions.length) return null;
  return (
    <View className='hf-card' data-testid='eligibility-questions'>
      <Text className='hf-card__title'>参保条件</Text>
      <Text className='hf-card__text'>请如实回答，系统据此判断能否参保和缴费金额</Text>
      <View style={{ marginTop: '16px' }} />
      {questions.map((k) => (
        <YesNo key={k} name={k} question={QUESTION_TEXT[k].q} hint={QUESTION_TEXT[k].hint} value={answers[k]} onChange={(v) => onChange({ ...answers, [k]: v })} />
      ))}
      {error ? (
        <View className='hf-field__error' role='alert' data-testid='answers-error'>
          <Text>{error}</Text>
        </View>
      ) : null}
    </View>
  );
}

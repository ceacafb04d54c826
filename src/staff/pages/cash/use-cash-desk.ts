/**
 * State of 现金收缴 (the community cash desk): find the person by name and ID number, register
 * them when there is no record, then take the engine's amount in cash against the receipt's
 * number. Money always comes from the server's quote; the page only shows it.
 */
import { useState } from 'react';
import Taro from '@tarojs/taro';
import type { EligibilityAnswers } from '@contracts/resident';
import type { DeskPerson } from '@contracts/staffCash';
import { staffCash, normalisedNo, receiptNoProblem } from '@/services/staff-cash';
import { staffIdentity } from '@/services/staff';
import { nameError, parseIdNumber, ageOn, shanghaiToday, type FormErrors } from '@/services/validate';
import { answersError, askedAnswers, questionsFor } from '@/components/resident/PersonFields';
import { reasonProblem, staffError } from '../../review-text';
import type { CommunityChoice } from '../../StaffCommunityChoice';

export interface DeskForm {
  name: string;
  idNumber: string;
  hukou: '' | 'local' | 'nonlocal' | 'foreign';
  address: string;
  mobile: string;
}

type Step = 'find' | 'register' | 'person';

/** `role`: a district office registers a person into one of its communities (chosen here). */
export function useCashDesk(role: string | null = null) {
  const [step, setStep] = useState<Step>('find');
  const [form, setForm] = useState<DeskForm>({ name: '', idNumber: '', hukou: '', address: '', mobile: '' });
  const [answers, setAnswers] = useState<EligibilityAnswers>({});
  const [community, setCommunity] = useState<CommunityChoice>({ district: '', communityId: '' });
  const [errors, setErrors] = useState<FormErrors<keyof DeskForm | 'answers' | 'community'>>({});
  const [person, setPerson] = useState<DeskPerson | null>(null);
  const [receiptNo, setReceiptNo] = useState('');
  const [receiptError, setReceiptError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const today = shanghaiToday();
  const facts = parseIdNumber(form.idNumber.trim());
  const age = facts ? ageOn(facts.birthDate, today) : null;
  const questions = questionsFor(form.hukou, age, answers);

  // Sex is read from the ID number: the form never asks it.
  const set = (k: keyof DeskForm | 'sex', v: string) => {
    if (k !== 'sex') setForm((f) => ({ ...f, [k]: v }));
  };

  async function run(work: () => Promise<void>) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(staffError(err));
    } finally {
      setBusy(false);
    }
  }

  function idErrors(): FormErrors<keyof DeskForm> {
    const e: FormErrors<keyof DeskForm> = {};
    const ne = nameError(form.name);
    if (ne) e.name = ne;
    if (!form.idNumber.trim()) e.idNumber = '请输入身份证号码';
    else if (!facts) e.idNumber = '身份证号码不正确，请核对证件';
    return e;
  }

  const find = () => {
    const e = idErrors();
    setErrors(e);
    if (Object.keys(e).length) return;
    void run(async () => {
      const r = await staffCash({ action: 'findPerson', name: form.name.trim(), idNumber: form.idNumber.trim().toUpperCase() });
      if (r.found) {
        setPerson(r.person);
        setStep('person');
      } else {
        setStep('register');
      }
    });
  };

  const register = () => {
    const e: FormErrors<keyof DeskForm | 'answers' | 'community'> = idErrors();
    if (role === 'district' && !community.communityId) e.community = '请选择参保人所在的社区（村居）';
    if (!form.hukou) e.hukou = '请选择户籍类型';
    if (form.address.trim().length < 2) e.address = '请输入常住地址';
    if (!/^1[3-9]\d{9}$/.test(form.mobile.trim())) e.mobile = '请输入11位手机号码（可填家属的号码）';
    const ae = form.hukou ? answersError(form.hukou, age, answers) : undefined;
    if (ae) e.answers = ae;
    setErrors(e);
    if (Object.keys(e).length || !facts || !form.hukou) return;
    void run(async () => {
      const r = await staffCash({
        action: 'registerPerson',
        name: form.name.trim(),
        sex: facts.sex,
        idNumber: form.idNumber.trim().toUpperCase(),
        hukou: form.hukou as 'local',
        address: form.address.trim(),
        mobile: form.mobile.trim(),
        answers: askedAnswers(questions, answers),
        ...(role === 'district' ? { communityId: community.communityId } : {}),
      });
      setPerson(r.person);
      setStep('person');
    });
  };

  const take = () => {
    if (!person?.quote?.payableFen) return;
    const problem = receiptNoProblem(receiptNo);
    setReceiptError(problem ?? undefined);
    if (problem) return;
    const amountFen = person.quote.payableFen;
    void run(async () => {
      const r = await staffCash({ action: 'recordCash', personId: person.personId, benefitYear: person.benefitYear, amountFen, receiptNo: normalisedNo(receiptNo) });
      await Taro.navigateTo({ url: `/staff/pages/cash-receipt/index?receiptNo=${encodeURIComponent(r.receiptNo)}` });
    });
  };

  /** Records the person's signed authorization for a family member (staffIdentity.deskAuthorize). */
  const authorize = async (linkId: string, reason: string): Promise<string | null> => {
    const problem = reasonProblem(reason);
    if (problem) return problem;
    try {
      await staffIdentity({ action: 'deskAuthorize', linkId, reason: reason.trim() });
      setPerson((p) => (p ? { ...p, pendingAuthorizations: p.pendingAuthorizations.filter((a) => a.linkId !== linkId) } : p));
      return null;
    } catch (err) {
      return staffError(err);
    }
  };

  const restart = () => {
    setStep('find');
    setPerson(null);
    setForm({ name: '', idNumber: '', hukou: '', address: '', mobile: '' });
    setAnswers({});
    setReceiptNo('');
    setErrors({});
    setError(null);
  };

  const typeReceiptNo = (v: string) => {
    setReceiptNo(v);
    setReceiptError(undefined);
  };

  const chooseCommunity = (c: CommunityChoice) => {
    setCommunity(c);
    setErrors((x) => ({ ...x, community: undefined }));
  };

  return { step, form, set, answers, setAnswers, community, chooseCommunity, questions, errors, person, receiptNo, setReceiptNo: typeReceiptNo, receiptError, error, busy, find, register, take, authorize, restart, back: () => setStep('find') };
}

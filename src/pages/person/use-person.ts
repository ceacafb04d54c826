/**
 * State of a family member's page: the person as home shows them (status, authorization), their
 * change history (信息修改记录), changing a fact, and ending the caller's own authorization.
 */
import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import type { EligibilityAnswers, FactChange, HomePerson } from '@contracts/resident';
import { answersError, askedAnswers, questionsFor } from '@/components/resident/PersonFields';
import { resident } from '@/services/resident';
import { CloudCallError, userMessage } from '@/services/errors';
import { hasErrors, type FormErrors, type MemberForm } from '@/services/validate';

export type FactEdit = 'mobile' | 'address' | 'hukou';

export interface FactDraft {
  mobile: string;
  address: string;
  hukou: MemberForm['hukou'];
  answers: EligibilityAnswers;
}

const EMPTY: FactDraft = { mobile: '', address: '', hukou: '', answers: {} };

/** Minors get the children's questions; the exact age stays on the server. */
export const minorRelation = (p: Pick<HomePerson, 'relation' | 'newborn'>): boolean => p.newborn || p.relation === 'child';

/** Checks the one fact being changed (same wording as the registration form). */
export function factErrors(edit: FactEdit, d: FactDraft): FormErrors<keyof MemberForm> {
  const e: FormErrors<keyof MemberForm> = {};
  if (edit === 'mobile' && !/^1[3-9]\d{9}$/.test(d.mobile.trim())) e.mobile = '请输入11位手机号码';
  if (edit === 'address') {
    if (d.address.trim().length < 2) e.address = '请输入常住地址';
    else if (d.address.trim().length > 120) e.address = '地址不超过120个字';
  }
  if (edit === 'hukou' && !d.hukou) e.hukou = '请选择户籍类型';
  return e;
}

export function usePerson(personId: string) {
  const [person, setPerson] = useState<HomePerson | null>(null);
  const [history, setHistory] = useState<FactChange[]>([]);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [edit, setEdit] = useState<FactEdit | null>(null);
  const [draft, setDraft] = useState<FactDraft>(EMPTY);
  const [errors, setErrors] = useState<FormErrors<keyof MemberForm | 'answers'>>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);

  const load = async () => {
    setLoading(true);
    setLoadError(null);
    try {
      if (!personId) throw new CloudCallError('NO_PERSON', '缺少参保人信息，请从首页重新进入');
      const home = await resident({ action: 'home' });
      const p = home.persons.find((x) => x.personId === personId);
      if (!p) throw new CloudCallError('NO_PERSON', '没有找到这位家人，请从首页重新进入');
      setPerson(p);
      // Pending or disputed authorizations may not read the history yet.
      setHistory(p.authorization === 'active' ? (await resident({ action: 'factHistory', personId })).entries : []);
    } catch (e) {
      setLoadError(e);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load();
  }, [personId]);

  const questions = person ? questionsFor(draft.hukou, minorRelation(person) ? 0 : 30, draft.answers) : [];

  function open(which: FactEdit | null) {
    setEdit(which);
    setDraft(EMPTY);
    setErrors({});
    setSaveError(null);
    setSaved(null);
  }

  async function save() {
    if (!edit || busy) return;
    const e: FormErrors<keyof MemberForm | 'answers'> = factErrors(edit, draft);
    if (edit === 'hukou' && person) e.answers = answersError(draft.hukou, minorRelation(person) ? 0 : 30, draft.answers);
    setErrors(e);
    if (hasErrors(e)) return;
    setBusy(true);
    setSaveError(null);
    try {
      const change =
        edit === 'mobile'
          ? { mobile: draft.mobile.trim() }
          : edit === 'address'
            ? { address: draft.address.trim() }
            : { hukou: draft.hukou as 'local', answers: askedAnswers(questions, draft.answers) };
      const r = await resident({ action: 'updatePersonFacts', personId, ...change });
      setEdit(null);
      setSaved(r.changed.length ? '已保存，修改记录见下方' : '信息与原来相同，没有修改');
      setHistory((await resident({ action: 'factHistory', personId })).entries);
    } catch (err) {
      const field = err instanceof CloudCallError ? err.field : undefined;
      if (field && (field in EMPTY || field === 'answers')) setErrors((x) => ({ ...x, [field]: userMessage(err) }));
      else setSaveError(userMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (removing) return;
    setRemoving(true);
    setRemoveError(null);
    try {
      await resident({ action: 'removeFamilyMember', personId });
      void Taro.reLaunch({ url: '/pages/index/index' });
    } catch (e) {
      setRemoveError(userMessage(e));
    } finally {
      setRemoving(false);
    }
  }

  return {
    person,
    history,
    loading,
    loadError,
    reload: load,
    edit,
    open,
    draft,
    setDraft: (patch: Partial<FactDraft>) => setDraft((d) => ({ ...d, ...patch })),
    errors,
    questions,
    save,
    busy,
    saveError,
    saved,
    remove,
    removing,
    removeError,
  };
}

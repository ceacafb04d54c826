/**
 * Issue 10 on the client: drafts belong to the signed-in account and go at sign-out; home pays
 * everyone together; the check page leads with 医疗救助全额资助 / 已缴费 / 缴费期已结束 when
 * nobody is left to pay for; unanswered eligibility questions are errors.
 */
import { act, render, renderHook, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { HomePerson, QuoteView } from '@contracts/resident';
import { PersonCard, payableNow } from '@/components/resident/HomeDashboard';
import { answersError } from '@/components/resident/PersonFields';
import { headline } from '@/pages/quote/index';
import { draftKey, useDraft } from '@/services/drafts';
import { logout, SESSION_KEY } from '@/services/session';

const session = (openid: string) => ({ token: `t-${openid}`, openid, displayName: openid, staff: null });

beforeEach(() => {
  process.env.TARO_ENV = 'h5';
  logout();
});

describe('form drafts (privacy)', () => {
  it('are kept per account and removed at sign-out: the next account on the phone starts empty', () => {
    Taro.setStorageSync(SESSION_KEY, session('openid-a'));
    const a = renderHook(() => useDraft('family-add', { name: '', address: '' }));
    act(() => a.result.current[1]({ name: '王丽', address: '合肥市蜀山区长江西路100号' }));
    expect(Taro.getStorageSync(draftKey('family-add'))).toMatchObject({ name: '王丽' });
    a.unmount();

    // Another account on the same phone (without signing out first) does not see it.
    Taro.setStorageSync(SESSION_KEY, session('openid-b'));
    const b = renderHook(() => useDraft('family-add', { name: '', address: '' }));
    expect(b.result.current[0]).toEqual({ name: '', address: '' });
    b.unmount();

    // Sign-out removes every draft, whoever wrote it.
    Taro.setStorageSync(SESSION_KEY, session('openid-a'));
    logout();
    expect(Taro.getStorageInfoSync().keys.filter((k: string) => k.startsWith('hf.draft.'))).toEqual([]);
    Taro.setStorageSync(SESSION_KEY, session('openid-a'));
    const again = renderHook(() => useDraft('family-add', { name: '', address: '' }));
    expect(again.result.current[0]).toEqual({ name: '', address: '' });
  });
});

const PERSON: HomePerson = {
  personId: 'p1',
  name: '王秀兰',
  idMasked: '340***********1221',
  relation: 'self',
  newborn: false,
  status: 'not_enrolled',
  statusText: '未参保',
  payableFen: 38000,
  expectedBy: null,
  reasons: [],
  pendingOutTradeNo: null,
  documents: [],
  nextStep: { kind: 'pay', text: '去缴费' },
  verified: true,
  authorization: 'active',
  familyPaying: null,
};

const QUOTE = { eligible: true, windowOpen: true, payableFen: 38000 } as QuoteView;

describe('paying together from home', () => {
  it('with two or more to pay, a card has no 去缴费 of its own (one order from 为 N 人一起缴费)', () => {
    const family = [PERSON, { ...PERSON, personId: 'p2', name: '李强' }, { ...PERSON, personId: 'p3', nextStep: { kind: 'none', text: '无需操作' } } as HomePerson];
    expect(payableNow(family).map((p) => p.personId)).toEqual(['p1', 'p2']);
    const { container, unmount } = render(<PersonCard person={PERSON} year={2024} together />);
    expect(container.textContent).toContain('与家人一起缴费');
    expect(screen.queryByText('去缴费')).toBeNull();
    unmount();
    render(<PersonCard person={PERSON} year={2024} />);
    expect(screen.getByText('去缴费')).toBeTruthy();
  });
});

describe('check page (核对) headline', () => {
  it('fully assisted: 医疗救助; all paid: 已缴费; window over: 缴费期已结束; anyone payable: none', () => {
    expect(headline([{ quote: { ...QUOTE, payableFen: 0 } }])).toBe('assisted');
    expect(headline([{ quote: null, paid: { amountFen: 38000, outTradeNo: 'o1' } }])).toBe('paid');
    expect(headline([{ quote: null, paid: { amountFen: 38000, outTradeNo: 'o1' } }, { quote: { ...QUOTE, payableFen: 0 } }])).toBe('assisted');
    expect(headline([{ quote: { ...QUOTE, eligible: false, windowOpen: false, payableFen: null } }])).toBe('window');
    expect(headline([{ quote: QUOTE }, { quote: { ...QUOTE, payableFen: 0 } }])).toBeNull();
  });
});

describe('eligibility questions', () => {
  it('an unanswered question is an error; a deciding 是 needs no more', () => {
    expect(answersError('local', 30, {})).toBe('请回答全部参保条件问题');
    expect(answersError('local', 30, { employeeInsured: false })).toBe('请回答全部参保条件问题');
    expect(answersError('local', 30, { employeeInsured: false, enrolledElsewhere: false })).toBeUndefined();
    expect(answersError('nonlocal', 30, { residencePermit: true, student: false, employeeInsured: false, enrolledElsewhere: false })).toBe('请回答全部参保条件问题');
    expect(answersError('nonlocal', 30, { employeeInsured: true })).toBeUndefined();
  });
});

/**
 * The resident pages' pieces with logic: the step bar's states, the quote breakdown (server
 * numbers only, one tap away), the form validation messages, the question rules, money display,
 * the pay page's item parsing and the document rules.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import StepBar, { stepStates } from '@/components/resident/StepBar';
import QuoteBreakdown from '@/components/resident/QuoteBreakdown';
import { PersonCard, nextStepUrl } from '@/components/resident/HomeDashboard';
import { formatYuan, shanghaiTime } from '@/services/format';
import { parseIdNumber, sexFromId, validateMember, validateNewborn, type MemberForm } from '@/services/validate';
import { questionsFor } from '@/pages/family-add/index';
import { complete, extensionOf } from '@/pages/documents/index';
import { parseItems } from '@/pages/pay/index';
import type { HomePerson, QuoteView } from '@contracts/resident';

const T = Taro as unknown as Record<string, unknown>;

function makeId(division: string, birth: string, seq: number): string {
  const first17 = `${division}${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = first17.split('').reduce((s, d, i) => s + Number(d) * w[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

describe('step bar', () => {
  it('marks steps before the current one done, skipped ones 无需, later ones todo', () => {
    expect(stepStates(2, 4)).toEqual(['done', 'done', 'current', 'todo']);
    expect(stepStates(2, 4, [1])).toEqual(['done', 'skipped', 'current', 'todo']);
    expect(stepStates(0, 4)).toEqual(['current', 'todo', 'todo', 'todo']);
  });

  it('renders the four steps with the current one announced', () => {
    render(<StepBar current={3} skipped={[1]} />);
    const bar = screen.getByTestId('step-bar');
    expect(bar.getAttribute('aria-label')).toBe('第4步，共4步：支付');
    for (const label of ['选择参保人', '证件材料', '核对', '支付']) expect(bar.textContent).toContain(label);
    expect(bar.textContent).toContain('无需');
    const states = Array.from(bar.querySelectorAll('[data-state]')).map((e) => e.getAttribute('data-state'));
    expect(states).toEqual(['done', 'skipped', 'done', 'current']);
  });
});

const DIBAO: QuoteView = {
  benefitYear: 2024,
  scheme: '2023',
  eligible: true,
  basis: 'local_hukou',
  reasons: [],
  windowOpen: true,
  newborn: false,
  window: { start: '2023-09-01', end: '2023-12-31' },
  benefitPeriod: { start: '2024-01-01', end: '2024-12-31' },
  individualContributionFen: 38000,
  assistanceCategory: '低保对象',
  assistancePercent: 90,
  assistanceFen: 34200,
  payableFen: 3800,
  explanation: ['低保对象由医疗救助资金给予90%定额资助（342.00元），个人负担10%，即38.00元。'],
};

describe('quote breakdown', () => {
  it('shows the payable amount and opens the breakdown with one tap', () => {
    render(<QuoteBreakdown quote={DIBAO} name='赵强' idMasked='340102********3331' />);
    expect(screen.getByTestId('payable').textContent).toBe('¥38.00');
    expect(screen.queryByTestId('breakdown')).toBeNull();
    fireEvent.click(screen.getByTestId('toggle-breakdown'));
    const b = screen.getByTestId('breakdown');
    expect(b.textContent).toContain('个人缴费标准380.00元');
    expect(b.textContent).toContain('低保对象：资助90%，342.00元');
    expect(b.textContent).toContain('应缴金额38.00元');
    expect(b.textContent).toContain('2024年1月1日至2024年12月31日');
    expect(b.textContent).toContain('合肥市户籍居民');
    expect(b.textContent).toContain('个人负担10%');
  });

  it('shows the reasons instead of an amount when the person is not eligible', () => {
    render(<QuoteBreakdown quote={{ ...DIBAO, eligible: false, payableFen: null, basis: null, reasons: ['已参加职工医保，不需要再参加居民医保'] }} />);
    expect(screen.queryByTestId('payable')).toBeNull();
    expect(screen.getByText('不符合参保条件')).toBeTruthy();
    expect(screen.getByText('已参加职工医保，不需要再参加居民医保')).toBeTruthy();
  });
});

describe('money and time display', () => {
  it('formats fen as yuan with two decimals, without floating point', () => {
    expect(formatYuan(38000)).toBe('380.00');
    expect(formatYuan(3800)).toBe('38.00');
    expect(formatYuan(76000)).toBe('760.00');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(0)).toBe('0.00');
  });
  it('shows instants in Shanghai time', () => {
    expect(shanghaiTime('2023-10-08T02:30:00.000Z')).toBe('2023-10-08 10:30');
  });
});

const TODAY = '2023-10-08';
const GOOD: MemberForm = {
  name: '张伟',
  sex: 'male',
  idNumber: makeId('340104', '1985-05-20', 131),
  relation: 'self',
  hukou: 'local',
  address: '合肥市蜀山区长江西路100号',
  mobile: '13800001234',
  guardianConsent: false,
};

describe('family-member form validation', () => {
  it('accepts a complete form', () => {
    expect(validateMember(GOOD, TODAY)).toEqual({});
  });
  it('puts each message on its field', () => {
    const e = validateMember({ ...GOOD, name: '', idNumber: '34010419850520123', mobile: '1380000', address: '', relation: '', hukou: '' }, TODAY);
    expect(e).toEqual({
      name: '请输入姓名',
      idNumber: '身份证号码应为18位',
      mobile: '请输入11位手机号码',
      address: '请输入常住地址',
      relation: '请选择与您的关系',
      hukou: '请选择户籍类型',
    });
  });
  it('checks the GB 11643 check character and the sex digit', () => {
    const id = GOOD.idNumber;
    const wrong = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
    expect(parseIdNumber(wrong)).toBeNull();
    expect(validateMember({ ...GOOD, idNumber: wrong }, TODAY).idNumber).toBe('身份证号码不正确，请核对后重新输入');
    // Sex is read from the ID number (issue 10): never asked, so never in conflict.
    expect(validateMember({ ...GOOD, sex: '' }, TODAY).sex).toBeUndefined();
    expect(sexFromId(GOOD.idNumber)).toBe('male');
    expect(sexFromId(makeId('340104', '1985-05-20', 132))).toBe('female');
  });
  it('asks a guardian to consent for a child under 14, who cannot be 本人', () => {
    const child = { ...GOOD, idNumber: makeId('340104', '2015-06-01', 132), sex: 'female' as const };
    expect(validateMember({ ...child, relation: 'self' }, TODAY).relation).toContain('未满14周岁');
    expect(validateMember({ ...child, relation: 'child' }, TODAY).guardianConsent).toContain('监护人');
    expect(validateMember({ ...child, relation: 'child', guardianConsent: true }, TODAY)).toEqual({});
  });
  it('newborn form: birth date format, certificate number, guardian consent', () => {
    const e = validateNewborn({ name: '孙小宝', sex: 'female', birthDate: '2024-3-1', birthCertificateNo: 'Q3401', hukou: 'local', parentRelation: 'mother', guardianConsent: false }, '2024-05-01');
    expect(e.birthDate).toBe('请按“2024-03-01”的格式填写出生日期');
    expect(e.birthCertificateNo).toContain('字母和数字');
    expect(e.guardianConsent).toContain('监护人');
    expect(validateNewborn({ name: '孙小宝', sex: 'female', birthDate: '2024-06-01', birthCertificateNo: 'Q340123456', hukou: 'local', parentRelation: 'mother', guardianConsent: true }, '2024-05-01').birthDate).toBe('出生日期不能晚于今天');
  });
});

describe('eligibility questions only when they matter', () => {
  it('local hukou: only the two exclusions', () => {
    expect(questionsFor('local', 38, {})).toEqual(['employeeInsured', 'enrolledElsewhere']);
  });
  it('non-local: residence permit, then origin insurance once a permit is claimed; minors get the parent questions', () => {
    expect(questionsFor('nonlocal', 30, {})).toEqual(['residencePermit', 'student', 'employeeInsured', 'enrolledElsewhere']);
    expect(questionsFor('nonlocal', 30, { residencePermit: true })).toContain('insuredAtOrigin');
    expect(questionsFor('nonlocal', 8, {})).toEqual(expect.arrayContaining(['parentHasResidencePermit', 'childOfLocalInsuredWorker']));
  });
  it('foreigners: only the foreigner questions', () => {
    const q = questionsFor('foreign', 40, {});
    expect(q).toEqual(['foreignerResidencePermit', 'foreignExpertFamily', 'employeeInsured', 'enrolledElsewhere']);
    expect(q).not.toContain('residencePermit');
  });
  it('nothing before the hukou is chosen', () => {
    expect(questionsFor('', null, {})).toEqual([]);
  });
});

describe('documents and pay items', () => {
  it('accepts JPEG, PNG and PDF only', () => {
    expect(extensionOf('front.JPG')).toBe('jpg');
    expect(extensionOf('a.png')).toBe('png');
    expect(extensionOf('scan.pdf')).toBe('pdf');
    expect(extensionOf('blob', 'image/jpeg')).toBe('jpg');
    expect(extensionOf('virus.exe', 'application/octet-stream')).toBeNull();
  });
  it('an ID card needs both sides; a refused side does not count', () => {
    const doc = (kind: 'id_card_front' | 'id_card_back', status: 'pending_review' | 'needs_resubmission') => ({ documentId: kind, kind, status, reason: null, uploadedAt: '' });
    expect(complete('id_card', [doc('id_card_front', 'pending_review')])).toBe(false);
    expect(complete('id_card', [doc('id_card_front', 'pending_review'), doc('id_card_back', 'pending_review')])).toBe(true);
    expect(complete('id_card', [doc('id_card_front', 'pending_review'), doc('id_card_back', 'needs_resubmission')])).toBe(false);
  });
  it('parses the items of an order and drops malformed ones', () => {
    expect(parseItems('p1:2024,p2:2024')).toEqual([
      { personId: 'p1', benefitYear: 2024 },
      { personId: 'p2', benefitYear: 2024 },
    ]);
    expect(parseItems('p1:20x4,:2024,bad id:2024')).toEqual([]);
    expect(parseItems(undefined)).toEqual([]);
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

describe('home person card', () => {
  beforeEach(() => jest.restoreAllMocks());

  it('shows the status, the amount and the one next step', async () => {
    const nav = jest.spyOn(T as any, 'navigateTo').mockResolvedValue({} as any);
    render(<PersonCard person={PERSON} year={2024} />);
    expect(screen.getByTestId('person-status').textContent).toBe('未参保');
    expect(screen.getByTestId('person-card').textContent).toContain('2024年度应缴：¥380.00');
    expect(screen.getByText('¥380.00').classList.contains('hf-nowrap')).toBe(true);
    await act(async () => {
      fireEvent.click(screen.getByText('去缴费'));
    });
    await waitFor(() => expect(nav).toHaveBeenCalledWith({ url: '/pages/pay/index?items=p1:2024' }));
  });

  it('paid: the two-working-days wording and no button', () => {
    render(<PersonCard person={{ ...PERSON, status: 'paid_pending_sync', expectedBy: '2023-10-10', nextStep: { kind: 'wait_sync', text: '无需操作，缴费信息将同步到医保系统' } }} year={2024} />);
    // 已缴费 once: the badge; the sync date is its own line and the step text is not repeated.
    expect(screen.getByTestId('person-status').textContent).toBe('已缴费');
    expect(screen.getByTestId('person-card').textContent!.match(/已缴费/g)).toHaveLength(1);
    expect(screen.getByTestId('person-card').textContent).toContain('预计 2023年10月10日 前同步至医保系统');
    expect(screen.queryByText('无需操作，缴费信息将同步到医保系统')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('not eligible: the reason is shown', () => {
    render(<PersonCard person={{ ...PERSON, status: 'not_eligible', payableFen: null, reasons: ['已参加职工医保，不需要再参加居民医保'], nextStep: { kind: 'contact_community', text: '如有疑问，请咨询社区或医保经办机构' } }} year={2024} />);
    expect(screen.getByTestId('person-status').textContent).toBe('不符合参保条件');
    expect(screen.getByText('原因：已参加职工医保，不需要再参加居民医保')).toBeTruthy();
  });

  it('staff asked for a new document: reason and 重新上传', () => {
    const p: HomePerson = {
      ...PERSON,
      documents: [{ documentId: 'd1', kind: 'id_card_front', status: 'needs_resubmission', reason: '照片模糊', uploadedAt: '' }],
      nextStep: { kind: 'reupload_document', text: '重新上传' },
    };
    render(<PersonCard person={p} year={2024} />);
    expect(screen.getByText('证件需要重新上传：照片模糊')).toBeTruthy();
    expect(nextStepUrl(p, 2024)).toBe('/pages/documents/index?personId=p1');
  });
});

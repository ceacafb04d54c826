/**
 * Words and layout (issue 10): values that never break (amounts, dates, phones, masks), the quote's
 * explanation in plain words, tappable district phones with 0551, the receipt grouped by person
 * with the pay sheet's payee and the 完税证明 note, the 返回 control, the staff sign-in's own text
 * with a way back, 退出登录 at the bottom, and the step bar's 无需 carried to the pay page.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { http } from '@/services/gateway';
import { DateRange, PhoneLink, TextWithValues, Yuan } from '@/components/resident/Nowrap';
import PaySheet from '@/components/resident/PaySheet';
import LoginForm from '@/components/LoginForm';
import ReceiptPage from '@/pages/receipt/index';
import HelpPage from '@/pages/help/index';
import QuotePage from '@/pages/quote/index';
import PayPage from '@/pages/pay/index';
import IndexPage from '@/pages/index/index';
import { explanationText } from '@/services/explanation';
import { dialNumber, displayPhone, splitContact } from '@/services/phone';
import { byPerson, PAYEE } from '@/services/receipt';
import { SESSION_KEY } from '@/services/session';

const params: Record<string, string> = {};
jest.mock('@tarojs/taro', () => {
  const actual = jest.requireActual('@tarojs/taro');
  return { __esModule: true, ...actual, default: actual.default, useRouter: () => ({ params }) };
});

const T = Taro as unknown as Record<string, unknown>;

/** The gateway: answers `/api/functions/<fn>` by action. */
function gateway(replies: Record<string, unknown>) {
  return jest.spyOn(http as any, 'post').mockImplementation((async (opts: Taro.request.Option) => {
    const data = opts.data as any;
    const r = replies[data?.action];
    if (r === undefined) return { statusCode: 200, data: { result: { ok: false, error: { code: 'TEST', message: '测试未提供' } } }, header: {} };
    return { statusCode: 200, data: { result: { ok: true, data: r } }, header: {} };
  }) as any);
}

beforeEach(() => {
  jest.restoreAllMocks();
  for (const k of Object.keys(params)) delete params[k];
  Taro.clearStorageSync();
});

describe('values on one line', () => {
  it('amounts, dates and percentages are hf-nowrap pieces; 至 stays breakable', () => {
    const { container } = render(
      <>
        <Yuan fen={34200} unit />
        <DateRange start='2024-01-01' end='2024-12-31' />
        <TextWithValues text='低保对象由医疗救助资金给予90%定额资助（342.00元），个人负担10%，即38.00元。' />
      </>,
    );
    const pieces = Array.from(container.querySelectorAll('.hf-nowrap')).map((e) => e.textContent);
    expect(pieces).toEqual(['342.00元', '2024年1月1日', '2024年12月31日', '90%', '342.00元', '10%', '38.00元']);
    expect(container.textContent).toContain('2024年1月1日至2024年12月31日');
  });
});

describe('the quote explanation for residents', () => {
  const ENGINE = [
    '依据《合肥市2023年城乡居民参加基本医疗保险工作方案》二、参保对象（一），“本市户籍城乡居民”应当参加居民医保，您符合该条件。',
    '依据《合肥市2023年城乡居民参加基本医疗保险工作方案》四、集中参保期和待遇享受期，集中参保缴费期为2023年9月1日至2023年12月31日，2023年10月8日在缴费期内。',
    '依据《合肥市2023年城乡居民参加基本医疗保险工作方案》四、集中参保期和待遇享受期，待遇享受期为2024年1月1日至2024年12月31日。',
    '依据《合肥市2023年城乡居民参加基本医疗保险工作方案》三、筹资标准（一），居民个人缴费标准为每人380.00元；财政补助标准按国家、省、市相关规定执行，方案未列明金额。',
    '您本次应缴纳380.00元。',
  ];

  it('plain sentences, the document named once at the end', () => {
    expect(explanationText(ENGINE)).toEqual([
      '您属于“本市户籍城乡居民”，可以参加合肥市居民医保。',
      '现在是集中缴费期（2023年9月1日至2023年12月31日），可以缴费。',
      '缴费后，2024年1月1日至2024年12月31日在合肥看病可按规定报销。',
      '个人缴费标准为每人380.00元，其余由政府财政补助。',
      '您本次应缴纳380.00元。',
      '以上依据《合肥市2023年城乡居民参加基本医疗保险工作方案》。',
    ]);
  });

  it('no developer notes: 本系统按…计算 becomes the dates; an unknown line loses only its clause prefix', () => {
    const out = explanationText([
      '《合肥市2021年城乡居民参加基本医疗保险工作方案》未写明待遇享受期，本系统按2022年1月1日至2022年12月31日计算。',
      '依据《合肥市2021年城乡居民参加基本医疗保险工作方案》五、参保办法（五）资助参保，特困供养人员由医疗救助资金给予全额资助，个人无需缴费。',
    ]);
    expect(out[0]).toBe('缴费后，2022年1月1日至2022年12月31日在合肥看病可按规定报销。');
    expect(out[1]).toBe('特困供养人员由医疗救助资金给予全额资助，个人无需缴费。');
    expect(out.join('')).not.toMatch(/本系统|方案未列明/);
  });
});

describe('district phones', () => {
  it('adds the 0551 area code to 8-digit Hefei numbers only', () => {
    expect(displayPhone('62529900')).toBe('0551-62529900');
    expect(dialNumber('62529900')).toBe('055162529900');
    expect(displayPhone('12366')).toBe('12366');
    expect(displayPhone('0551-63532732')).toBe('0551-63532732');
    expect(displayPhone('13800001234')).toBe('13800001234');
    expect(splitContact('医保：62529900')).toEqual({ label: '医保', number: '62529900' });
  });

  it('a tap dials the number with its area code', async () => {
    const call = jest.spyOn(T as any, 'makePhoneCall').mockResolvedValue({} as any);
    render(<PhoneLink number='65125930' />);
    fireEvent.click(screen.getByText('0551-65125930'));
    expect(call).toHaveBeenCalledWith({ phoneNumber: '055165125930' });
  });

  it('the help page shows each district number tappable, and a 返回 control', async () => {
    gateway({
      policyInfo: {
        years: [
          {
            benefitYear: 2024,
            scheme: '2023',
            window: { start: '2023-09-01', end: '2023-12-31' },
            benefitPeriod: { start: '2024-01-01', end: '2024-12-31' },
            individualContributionFen: 38000,
            assistance: [],
            contacts: [{ district: '蜀山区', phones: ['医保：65125930', '税务：65166183'] }],
            notes: [],
          },
        ],
      },
    });
    render(<HelpPage />);
    const contacts = await screen.findByTestId('contacts');
    expect(Array.from(contacts.querySelectorAll('[data-testid="phone"]')).map((e) => e.textContent)).toEqual(['0551-65125930', '0551-65166183']);
    expect(screen.getByTestId('back-control').textContent).toContain('首页');
  });
});

const RECORD = {
  outTradeNo: 'HF2023100812000000001',
  transactionId: '4200000000202310080000000001',
  paidAt: '2023-10-08T02:00:00.000Z',
  totalFeeFen: 76000 + 32000,
  items: [
    { personId: 'p1', name: '欧阳晓燕', idMasked: '340***********2627', benefitYear: 2024, amountFen: 38000 },
    { personId: 'p2', name: '欧阳小雨', idMasked: '340***********1823', benefitYear: 2024, amountFen: 38000 },
    { personId: 'p1', name: '欧阳晓燕', idMasked: '340***********2627', benefitYear: 2023, amountFen: 32000 },
  ],
};

describe('receipt', () => {
  it('groups lines by person, in first-seen order', () => {
    const groups = byPerson(RECORD.items);
    expect(groups.map((g) => [g.name, g.items.map((i) => i.benefitYear)])).toEqual([
      ['欧阳晓燕', [2024, 2023]],
      ['欧阳小雨', [2024]],
    ]);
  });

  it('one block per person, the pay sheet’s payee, and where the 完税证明 comes from', async () => {
    params.outTradeNo = RECORD.outTradeNo;
    gateway({ receipt: RECORD });
    render(<ReceiptPage />);
    await screen.findByTestId('receipt');
    const people = screen.getAllByTestId('receipt-person');
    expect(people).toHaveLength(2);
    expect(people[0].textContent).toContain('欧阳晓燕');
    expect(people[0].textContent).toContain('2024年度');
    expect(people[0].textContent).toContain('2023年度');
    expect(people[1].textContent).not.toContain('欧阳晓燕');
    expect(screen.getByTestId('payee').textContent).toContain(PAYEE);
    expect(screen.getByTestId('tax-receipt-note').textContent).toMatch(/完税证明.*安徽税务社保缴费/);
    expect(screen.getByTestId('back-control')).toBeTruthy();

    // The pay sheet names the same payee.
    render(<PaySheet totalFeeFen={108000} description='合肥居民医保 2024年度个人缴费' onConfirm={() => undefined} onCancel={() => undefined} />);
    expect(screen.getAllByTestId('payee').pop()!.textContent).toContain(`收款方：${PAYEE}`);
  });
});

describe('sign-in and sign-out', () => {
  it('the staff sign-in has its own heading and a way back to the resident form', () => {
    render(<LoginForm />);
    expect(screen.queryByTestId('staff-login')).toBeNull();
    fireEvent.click(screen.getByText('我是工作人员，使用密码登录'));
    expect(screen.getByTestId('staff-login').textContent).toContain('工作人员登录');
    expect(screen.queryByText('本地体验环境：输入任意账号名即可作为居民登录')).toBeNull();
    fireEvent.click(screen.getByText('我是居民，返回居民登录'));
    expect(screen.queryByTestId('staff-login')).toBeNull();
    expect(screen.getByText('本地体验环境：输入任意账号名即可作为居民登录')).toBeTruthy();
  });

  it('退出登录 is a settings row at the bottom of home, after the family and the services', async () => {
    Taro.setStorageSync(SESSION_KEY, { token: 't', openid: 'o', displayName: 'ouyang', staff: null });
    gateway({ consentStatus: { accepted: false, version: 'v1' }, whoami: { staff: false } });
    const { container } = render(<IndexPage />);
    const row = await screen.findByTestId('logout');
    expect(row.textContent).toContain('退出登录');
    expect(screen.getByTestId('signed-in').textContent).not.toContain('退出登录');
    // Last card on the page.
    const cards = Array.from(container.querySelectorAll('.hf-card'));
    expect(cards[cards.length - 1]).toBe(row);
  });
});

describe('step bar', () => {
  it('the quote page carries 证件材料 无需 on to the pay page', async () => {
    Object.assign(params, { persons: 'p1', year: '2024', skipDocs: '1' });
    const nav = jest.spyOn(T as any, 'navigateTo').mockResolvedValue({} as any);
    const person = {
      personId: 'p1', name: '王秀兰', idMasked: '340***********1234', relation: 'self', newborn: false, status: 'not_enrolled', statusText: '待续缴',
      payableFen: 38000, expectedBy: null, reasons: [], pendingOutTradeNo: null, documents: [], nextStep: { kind: 'pay', text: '去缴费' },
      verified: true, authorization: 'active', familyPaying: null, renewal: true,
    };
    gateway({
      home: { today: '2023-10-08', benefitYear: 2024, years: [2024], window: { start: '2023-09-01', end: '2023-12-31', open: true, daysLeft: 85, opensInDays: 0 }, persons: [person], self: { verified: true, method: 'face' } },
      quote: {
        benefitYear: 2024, scheme: '2023', eligible: true, basis: 'local_hukou', reasons: [], windowOpen: true, newborn: false,
        window: { start: '2023-09-01', end: '2023-12-31' }, benefitPeriod: { start: '2024-01-01', end: '2024-12-31' },
        individualContributionFen: 38000, assistanceCategory: null, assistancePercent: 0, assistanceFen: 0, payableFen: 38000, explanation: [],
      },
    });
    render(<QuotePage />);
    await screen.findByTestId('payable');
    expect(screen.getByTestId('step-bar').querySelector('[data-state="skipped"]')?.textContent).toContain('无需');
    const go = Array.from(document.querySelectorAll('.nut-button')).find((b) => /去支付|确认无误/.test(b.textContent ?? ''))!;
    await act(async () => {
      fireEvent.click(go);
    });
    await waitFor(() => expect(nav).toHaveBeenCalled());
    expect(String((nav.mock.calls[0][0] as { url: string }).url)).toContain('skipDocs=1');
  });
});

describe('step bar from the server (a home card leads straight to 支付, without skipDocs)', () => {
  const person = (documents: unknown[]) => ({
    personId: 'p1', name: '王秀兰', idMasked: '340***********1234', relation: 'self', newborn: false, status: 'not_enrolled', statusText: '未参保',
    payableFen: 38000, expectedBy: null, reasons: [], pendingOutTradeNo: null, documents, nextStep: { kind: 'pay', text: '去缴费' },
    verified: true, authorization: 'active', familyPaying: null,
  });
  const order = {
    outTradeNo: 'HF2023100812000000000001', status: 'pending', statusText: '待支付', totalFeeFen: 38000,
    items: [{ personId: 'p1', name: '王秀兰', idMasked: '340***********1234', benefitYear: 2024, amountFen: 38000, explanation: [] }],
    createdAt: '2023-10-08T04:00:00.000Z', expiresAt: '2023-10-08T04:30:00.000Z', paidAt: null, transactionId: null, payment: {},
  };
  const homeWith = (documents: unknown[]) => ({
    today: '2023-10-08', benefitYear: 2024, years: [2024], window: { start: '2023-09-01', end: '2023-12-31', open: true, daysLeft: 85, opensInDays: 0 },
    persons: [person(documents)], self: { verified: true, method: 'face' },
  });
  const docState = async () => {
    await screen.findAllByTestId('order-item');
    return () => screen.getByTestId('step-bar').querySelectorAll('[data-state]')[1].getAttribute('data-state');
  };

  it('no document on file: 证件材料 reads 无需 though the URL carries no skipDocs', async () => {
    Object.assign(params, { items: 'p1:2024' });
    gateway({ home: homeWith([]), createOrder: order, closeOrder: { ...order, status: 'closed', statusText: '已关闭' } });
    render(<PayPage />);
    const state = await docState();
    await waitFor(() => expect(state()).toBe('skipped'));
    expect(screen.getByTestId('step-bar').textContent).toContain('无需');
  });

  it('a document uploaded: 证件材料 is done (✓), whatever the URL says', async () => {
    Object.assign(params, { items: 'p1:2024', skipDocs: '1' });
    const doc = { documentId: 'd1', kind: 'id_card_front', status: 'approved', reason: null, uploadedAt: '2023-10-08T03:00:00.000Z' };
    gateway({ home: homeWith([doc]), createOrder: order, closeOrder: { ...order, status: 'closed', statusText: '已关闭' } });
    render(<PayPage />);
    const state = await docState();
    await waitFor(() => expect(state()).toBe('done'));
  });
});

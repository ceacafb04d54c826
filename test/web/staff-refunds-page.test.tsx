/**
 * 缴费退款 (issue 14) against a wx.cloud stub (weapp): the district finds a payment by its
 * 商户订单号, refunds one person's part with a reason and a note (a missing note refused on the
 * page, nothing sent), the refund's state is shown; a person outside the scope offers no refund;
 * the server's refusal is shown with its code.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import RefundsPage from '@/staff/pages/refunds/index';
import { auditActionText } from '@/staff/admin-text';

const T = Taro as unknown as Record<string, any>;
const savedCloud = T.cloud;
let calls: Array<{ name: string; data: any }>;

function cloud(answers: Record<string, unknown | ((d: any) => unknown)>) {
  calls = [];
  T.cloud = {
    callFunction: jest.fn(async ({ name, data }: { name: string; data: any }) => {
      calls.push({ name, data });
      const a = answers[data.action];
      if (a === undefined) return { result: { ok: false, error: { code: 'TEST', message: '测试未提供' } } };
      const v = typeof a === 'function' ? (a as (d: any) => unknown)(data) : a;
      return { result: v && typeof v === 'object' && 'ok' in (v as object) ? v : { ok: true, data: v } };
    }),
  };
}

const NO = 'HF20231008abcdef0123456789ab';
const REFUND = { outRefundNo: `RF${NO}P0`, outTradeNo: NO, amountFen: 38000, personId: 'p1', name: '王芳', benefitYear: 2024, cause: 'staff', causeText: '为他人误缴', status: 'processing', statusText: '退款处理中', createdAt: '2023-10-08T02:30:00.000Z', succeededAt: null };
const payment = (refunds: unknown[]) => ({
  outTradeNo: NO,
  transactionId: '4200000001202310081234567890',
  paidAt: '2023-10-08T02:01:00.000Z',
  totalFeeFen: 76000,
  items: [
    { personId: 'p1', name: '王芳', idMasked: '340***1234', benefitYear: 2024, amountFen: 38000, inScope: true },
    { personId: 'p2', name: '李明', idMasked: '340***5678', benefitYear: 2024, amountFen: 38000, inScope: false },
  ],
  refunds,
});
const buttonWith = (text: string) => Array.from(document.querySelectorAll('.nut-button')).find((b) => b.textContent?.includes(text)) as HTMLElement;
async function typeInto(name: string, value: string) {
  let el: HTMLInputElement | null = null;
  await waitFor(() => {
    el = document.querySelector<HTMLInputElement>(`input[name="${name}"]`);
    expect(el).toBeTruthy();
  });
  await act(async () => {
    fireEvent.input(el!, { target: { value } });
  });
}

beforeEach(() => {
  process.env.TARO_ENV = 'weapp';
});
afterAll(() => {
  T.cloud = savedCloud;
  process.env.TARO_ENV = 'h5';
});

describe('缴费退款', () => {
  it('finds a payment, refunds one person with a reason and a note, and shows the refund', async () => {
    let refunded = false;
    cloud({
      listRefunds: () => ({ items: refunded ? [REFUND] : [] }),
      findPayment: () => payment(refunded ? [REFUND] : []),
      refundPayment: () => {
        refunded = true;
        return REFUND;
      },
    });
    render(<RefundsPage />);
    expect((await screen.findByTestId('refunds-empty')).textContent).toContain('暂无退款');
    await typeInto('outTradeNo', NO);
    await act(async () => fireEvent.click(buttonWith('查找缴费')));
    const found = await screen.findByTestId('staff-payment');
    expect(found.textContent).toContain('不在本辖区，不能办理');
    expect(buttonWith('为李明退款')).toBeUndefined();
    await act(async () => fireEvent.click(buttonWith('为王芳退款')));
    await act(async () => fireEvent.click(buttonWith('确认退款')));
    expect(screen.getByText('请填写原因（至少 2 个字）')).toBeTruthy();
    expect(calls.some((c) => c.data.action === 'refundPayment')).toBe(false);
    await typeInto('refundNote', '核实为他人误缴，本人同意退款');
    await act(async () => fireEvent.click(buttonWith('确认退款')));
    await waitFor(() => expect(screen.getAllByTestId('staff-refund')).toHaveLength(1));
    expect(calls.find((c) => c.data.action === 'refundPayment')).toEqual({
      name: 'staffPayments',
      data: { action: 'refundPayment', outTradeNo: NO, personId: 'p1', benefitYear: 2024, reasonCode: 'wrong_person', note: '核实为他人误缴，本人同意退款' },
    });
    expect(screen.getByTestId('staff-refund').textContent).toContain('退款处理中');
    expect(screen.getByTestId('staff-payment').textContent).toContain('已退款申请：退款处理中（为他人误缴）');
  });

  it("the server's refusal is shown with its code", async () => {
    cloud({
      listRefunds: { items: [] },
      findPayment: { ok: false, error: { code: 'PAYMENT_NOT_FOUND', message: '未找到该笔微信支付缴费' } },
    });
    render(<RefundsPage />);
    await screen.findByTestId('refunds-empty');
    await typeInto('outTradeNo', NO);
    await act(async () => fireEvent.click(buttonWith('查找缴费')));
    expect(await screen.findByText('未找到该笔微信支付缴费（错误代码：PAYMENT_NOT_FOUND）')).toBeTruthy();
    expect(screen.queryByTestId('staff-payment')).toBeNull();
  });
});

describe('refunds in 操作日志', () => {
  it('reads a refund\'s steps in Chinese, a refused refund never as a failed check', () => {
    expect(auditActionText({ entity: 'refund', from: null, to: 'requested' })).toBe('已申请退款');
    expect(auditActionText({ entity: 'refund', from: 'processing', to: 'succeeded' })).toBe('退款处理中 → 退款成功');
    expect(auditActionText({ entity: 'refund', from: 'processing', to: 'failed' })).toBe('退款处理中 → 退款未成功，需人工处理');
    expect(auditActionText({ entity: 'order', from: 'pending', to: 'closing' })).toBe('待支付 → 正在关闭');
  });
});

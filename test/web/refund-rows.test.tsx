/**
 * Refunds in the payment records (issue 14): the payer reads 已退款 with the amount, the person
 * and the reason on the record card; a record without refunds shows none.
 */
import { render, screen } from '@testing-library/react';
import { RecordCard } from '@/pages/records/index';
import type { PaymentRecord } from '@contracts/resident';

const base: PaymentRecord = {
  outTradeNo: 'HF20231008abcdef0123456789ab',
  transactionId: '4200000001202310081234567890',
  paidAt: '2023-10-08T02:01:00.000Z',
  totalFeeFen: 76000,
  items: [
    { personId: 'p1', name: '王芳', idMasked: '340***1234', benefitYear: 2024, amountFen: 38000 },
    { personId: 'p2', name: '李明', idMasked: '340***5678', benefitYear: 2024, amountFen: 38000 },
  ],
};

describe('refunds on a payment record', () => {
  it('shows the refunded person, amount, 已退款 and the reason', () => {
    render(<RecordCard r={{ ...base, refunds: [{ personId: 'p2', benefitYear: 2024, amountFen: 38000, status: 'succeeded', statusText: '已退款', reason: '重复缴费' }] }} />);
    const refund = screen.getByTestId('refund');
    expect(refund.textContent).toContain('李明 2024年度退款');
    expect(refund.textContent).toContain('380.00');
    expect(refund.textContent).toContain('已退款');
    expect(refund.textContent).toContain('退款原因：重复缴费');
  });

  it('a whole refund (amount not matching the order) names no person; one in progress says so', () => {
    render(<RecordCard r={{ ...base, refunds: [{ personId: null, benefitYear: null, amountFen: 76000, status: 'processing', statusText: '退款处理中', reason: '支付金额与订单不符' }] }} />);
    const refund = screen.getByTestId('refund');
    expect(refund.textContent).toContain('全额退款');
    expect(refund.textContent).toContain('退款处理中');
  });

  it('a record without refunds shows no refund rows', () => {
    render(<RecordCard r={base} />);
    expect(screen.queryByTestId('refunds')).toBeNull();
  });
});

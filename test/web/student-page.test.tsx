/**
 * 学生参保 (subpackage `student`, issue 12) in the weapp build: the page asks `student.myEntries`
 * with the action alone (the server finds the entry through the verified identity; nothing typed),
 * shows the school, faculty, student number and the engine's amount, and 去缴费 opens the ordinary
 * pay page for that person and year; an unverified caller is sent to 实名核验; a paid entry shows
 * its benefit start and no pay button.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import StudentPage from '@/student/pages/index/index';

const T = Taro as unknown as Record<string, any>;
const savedCloud = T.cloud;

const QUOTE = {
  benefitYear: 2024,
  scheme: '2023',
  eligible: true,
  basis: 'student',
  reasons: [],
  windowOpen: true,
  newborn: false,
  window: { start: '2023-09-01', end: '2023-12-31' },
  benefitPeriod: { start: '2024-01-01', end: '2024-12-31' },
  individualContributionFen: 38000,
  assistanceCategory: null,
  assistancePercent: 0,
  assistanceFen: 0,
  payableFen: 38000,
  explanation: [],
};
const ENTRY = {
  personId: 'p-lin',
  relation: 'self',
  entry: { entryId: 'r2024abc', orgName: '合肥工业大学', orgKind: 'university', studentNo: '2023217001', name: '林晓雨', idMasked: '320***********0128', faculty: '计算机与信息学院', grade: '2023级', newStudent: true, status: 'pending', statusText: '待参保', collectedOn: null, benefitStart: null },
  enrollment: { state: 'none', text: '待缴费' },
  quote: QUOTE,
  canPay: true,
  pendingOutTradeNo: null,
  benefitStart: { date: '2024-01-01', text: '自待遇享受期开始之日起享受待遇', expected: true },
  newStudentRule: false,
};

function answering(data: unknown) {
  T.cloud = { callFunction: jest.fn(async () => ({ result: { ok: true, data } })) };
}

beforeEach(() => {
  process.env.TARO_ENV = 'weapp';
});
afterAll(() => {
  T.cloud = savedCloud;
  process.env.TARO_ENV = 'h5';
});

it('finds the student through the server alone and pays through the ordinary pay page', async () => {
  answering({ verified: true, benefitYear: 2024, entries: [ENTRY] });
  const nav = jest.spyOn(T as any, 'navigateTo').mockResolvedValue({} as any);
  render(<StudentPage />);
  await waitFor(() => expect(screen.getByTestId('student-entry')).toBeTruthy());
  expect(T.cloud.callFunction).toHaveBeenCalledWith({ name: 'student', data: { action: 'myEntries' } });
  const card = screen.getByTestId('student-entry');
  expect(card.textContent).toContain('合肥工业大学');
  expect(card.textContent).toContain('计算机与信息学院');
  expect(card.textContent).toContain('2023217001');
  expect(card.textContent).toContain('380.00元');
  expect(screen.getByTestId('student-status').textContent).toBe('待缴费');
  await act(async () => {
    fireEvent.click(screen.getByText('去缴费'));
  });
  await waitFor(() => expect(nav).toHaveBeenCalledWith({ url: '/pages/pay/index?items=p-lin:2024' }));
});

it('an unverified caller is sent to 实名核验; nobody on a list reads what to do', async () => {
  answering({ verified: false, benefitYear: 2024, entries: [] });
  const { unmount } = render(<StudentPage />);
  await waitFor(() => expect(screen.getByTestId('student-verify')).toBeTruthy());
  unmount();
  answering({ verified: true, benefitYear: 2024, entries: [] });
  render(<StudentPage />);
  await waitFor(() => expect(screen.getByTestId('student-none').textContent).toContain('请联系学校核对'));
});

it('a paid entry shows its benefit start and offers no payment', async () => {
  answering({
    verified: true,
    benefitYear: 2022,
    entries: [{ ...ENTRY, entry: { ...ENTRY.entry, status: 'paid_wechat' }, enrollment: { state: 'paid_pending_sync', text: '已缴费，等待同步到医保系统' }, canPay: false, benefitStart: { date: '2021-10-08', text: '自微信缴费之日起享受待遇', expected: false } }],
  });
  render(<StudentPage />);
  await waitFor(() => expect(screen.getByTestId('student-benefit-start').textContent).toBe('待遇享受起始日：2021-10-08（自微信缴费之日起享受待遇）'));
  expect(screen.getByTestId('student-status').textContent).toBe('已缴费');
  expect(screen.queryByText('去缴费')).toBeNull();
});

/**
 * 资助参保名单 pages (issue 12) against a wx.cloud stub (weapp): the import page shows the server's
 * season and an earlier rejected import's report row by row with masked ID numbers; the
 * mobilization page lets a community worker tick a person and mark the visit with a note (the
 * server gets exactly those entries), and shows the server's refusal with its code.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import ListImportPage from '@/staff/pages/lists-import/index';
import MobilizationPage from '@/staff/pages/lists-mobilization/index';
import ReconciliationPage from '@/staff/pages/lists-reconciliation/index';

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

const buttonWith = (text: string) => Array.from(document.querySelectorAll('.nut-button')).find((b) => b.textContent?.includes(text)) as HTMLElement;

const REJECTED = {
  jobId: `job-${'a'.repeat(32)}`,
  kind: 'assistance_list_import',
  status: 'done',
  phase: 'rejected',
  progress: { done: 0, total: null },
  report: {
    outcome: 'rejected',
    fileName: '蜀山区低保2024.csv',
    format: 'csv',
    encoding: 'gbk',
    benefitYear: 2024,
    rows: 7,
    errorCount: 2,
    errorsByCode: { ID_INVALID: 1, OUT_OF_SCOPE: 1 },
    errors: [
      { row: 3, code: 'ID_INVALID', message: '身份证号码不正确（位数、出生日期或校验位有误）', idMasked: '340***********0111' },
      { row: 6, code: 'OUT_OF_SCOPE', message: '不属于蜀山区（包河区），请由所属区县导入', idMasked: '340***********0320' },
    ],
    fileErrors: [],
    timing: { kind: 'late_addition', receivedOn: '2023-12-28', dueBy: '2023-12-25', late: true },
    results: null,
  },
  error: null,
  startedBy: '蜀山区医保分局',
  createdAt: '2023-12-28T02:00:00.000Z',
  finishedAt: '2023-12-28T02:00:03.000Z',
};

const ITEM = { entryId: `mob-${'b'.repeat(32)}`, name: '韩桂英', idMasked: '340***********0223', category: '低保对象', percent: 90, payableFen: 3800, township: '三里庵街道', community: '安居苑社区', status: 'open', workedAt: null, note: null, paid: false };

beforeEach(() => {
  process.env.TARO_ENV = 'weapp';
});
afterAll(() => {
  T.cloud = savedCloud;
  process.env.TARO_ENV = 'h5';
});

describe('资助参保名单导入', () => {
  it("shows the server's season and an earlier rejected import's report with masked numbers and the late mark", async () => {
    cloud({ listImports: { imports: [REJECTED], years: [2024, 2022] } });
    render(<ListImportPage />);
    await screen.findByTestId('list-year-2024');
    expect(screen.getByTestId('list-year-2024').getAttribute('aria-checked')).toBe('true');
    const record = await screen.findByText('蜀山区低保2024.csv');
    await act(async () => fireEvent.click(record));
    const report = await screen.findByTestId('list-report');
    expect(report.textContent).toContain('有 2 处问题，整份文件未导入');
    expect(report.textContent).toContain('新增名单（已过导入截止日）');
    expect(screen.getByTestId('list-late').textContent).toContain('2023-12-28 收到，已过截止日 2023-12-25');
    const errors = screen.getAllByTestId('list-error').map((e) => e.textContent);
    expect(errors).toEqual(['第3行（340***********0111） · 身份证号码不正确：身份证号码不正确（位数、出生日期或校验位有误）', '第6行（340***********0320） · 不在本辖区：不属于蜀山区（包河区），请由所属区县导入']);
  });
});

describe('动员名单', () => {
  it('a community worker ticks a person and records the visit with a note', async () => {
    let worked = false;
    cloud({
      whoami: { staff: true, role: 'community' },
      mobilization: () => ({ total: 1, items: [worked ? { ...ITEM, status: 'worked', note: '已上门告知' } : ITEM], places: [], benefitYear: 2024, years: [2024] }),
      markWorked: (d: any) => {
        worked = true;
        return { marked: d.entryIds.length };
      },
    });
    render(<MobilizationPage />);
    await waitFor(() => expect(screen.getByTestId('mobilization-item').textContent).toContain('☐ 韩桂英'));
    const item = screen.getByTestId('mobilization-item');
    expect(item.textContent).toContain('个人应缴 ¥38.00');
    expect(item.textContent).toContain('未走访');
    await act(async () => fireEvent.click(item));
    await screen.findByTestId('mobilization-mark');
    // Stencil renders the native <input> inside Taro's Input late.
    let note: HTMLInputElement | null = null;
    await waitFor(() => {
      note = document.querySelector<HTMLInputElement>('input[name="note"]');
      expect(note).toBeTruthy();
    });
    await act(async () => fireEvent.input(note!, { target: { value: '已上门告知' } }));
    await act(async () => fireEvent.click(buttonWith('标记已走访')));
    await waitFor(() => expect(calls.find((c) => c.data.action === 'markWorked')?.data).toEqual({ action: 'markWorked', benefitYear: 2024, entryIds: [ITEM.entryId], note: '已上门告知' }));
    await waitFor(() => expect(screen.getByTestId('mobilization-item').textContent).toContain('已走访：已上门告知'));

  });

  it("shows the server's refusal with its code and keeps the selection", async () => {
    cloud({
      whoami: { staff: true, role: 'community' },
      mobilization: { total: 1, items: [ITEM], places: [], benefitYear: 2024, years: [2024] },
      markWorked: { ok: false, error: { code: 'OUT_OF_SCOPE', message: '有名单条目不存在或不在您的管辖范围内' } },
    });
    render(<MobilizationPage />);
    // The list is on screen once the staff status and the first page have both answered.
    await waitFor(() => expect(screen.getByTestId('mobilization-item').textContent).toContain('☐ 韩桂英'));
    await act(async () => fireEvent.click(screen.getByTestId('mobilization-item')));
    await act(async () => fireEvent.click(buttonWith('标记已走访')));
    await waitFor(() => expect(document.body.textContent).toContain('有名单条目不存在或不在您的管辖范围内（错误代码：OUT_OF_SCOPE）'));
    expect(screen.getByTestId('mobilization-mark').textContent).toContain('已选 1 人');
  });
});

const REC = { entryId: `rec-${'c'.repeat(32)}`, name: '郑大钧', idMasked: '340***********1710', category: '低保对象', percent: 90, paidFen: 38000, dueFen: 3800, differenceFen: 34200, township: '三里庵街道', community: '安居苑社区', status: 'open', channel: 'wechat', settledWay: null, settledAt: null, refundStatusText: null, settleNote: null };

describe('多缴核对名单', () => {
  it('a district office refunds the difference to the paying WeChat account; the entry shows the refund', async () => {
    cloud({
      whoami: { staff: true, role: 'district' },
      reconciliation: { total: 1, items: [REC], benefitYear: 2024, years: [2024] },
      settleReconciliation: (d: any) => ({ ...REC, status: 'settled', settledWay: d.way, settledAt: '2023-10-09T02:00:00.000Z', refundStatusText: '退款处理中', settleNote: d.note }),
    });
    render(<ReconciliationPage />);
    await waitFor(() => expect(screen.getByTestId('reconciliation-item').textContent).toContain('待退还差额'));
    expect(screen.getByTestId('reconciliation-item').textContent).toContain('缴费方式微信支付');
    await act(async () => fireEvent.click(buttonWith('退还差额')));
    // An empty note is refused on the page, nothing sent.
    await act(async () => fireEvent.click(buttonWith('确认微信原路退还')));
    await waitFor(() => expect(document.body.textContent).toContain('请填写办理说明'));
    expect(calls.some((c) => c.data.action === 'settleReconciliation')).toBe(false);
    let note: HTMLInputElement | null = null;
    await waitFor(() => {
      note = document.querySelector<HTMLInputElement>('input[name="settleNote"]');
      expect(note).toBeTruthy();
    });
    await act(async () => fireEvent.input(note!, { target: { value: '列入低保，差额原路退还' } }));
    await act(async () => fireEvent.click(buttonWith('确认微信原路退还')));
    await waitFor(() => expect(calls.find((c) => c.data.action === 'settleReconciliation')?.data).toEqual({ action: 'settleReconciliation', benefitYear: 2024, entryId: REC.entryId, way: 'wechat_refund', note: '列入低保，差额原路退还' }));
    await waitFor(() => expect(screen.getByTestId('reconciliation-item').textContent).toContain('微信原路退还（退款处理中）'));
    expect(screen.getByTestId('reconciliation-item').getAttribute('data-status')).toBe('settled');
  });

  it('a community worker reads the list without a way to give money back; a cash payer is offered 已退还现金 to a district', async () => {
    cloud({ whoami: { staff: true, role: 'community' }, reconciliation: { total: 1, items: [{ ...REC, channel: 'cash' }], benefitYear: 2024, years: [2024] } });
    const { unmount } = render(<ReconciliationPage />);
    await waitFor(() => expect(screen.getByTestId('reconciliation-item').textContent).toContain('差额由区医保部门办理退还'));
    expect(buttonWith('退还差额')).toBeUndefined();
    unmount();
    cloud({ whoami: { staff: true, role: 'district' }, reconciliation: { total: 1, items: [{ ...REC, channel: 'cash' }], benefitYear: 2024, years: [2024] } });
    render(<ReconciliationPage />);
    await waitFor(() => expect(buttonWith('退还差额')).toBeTruthy());
    await act(async () => fireEvent.click(buttonWith('退还差额')));
    expect(buttonWith('确认已退还现金')).toBeTruthy();
  });
});

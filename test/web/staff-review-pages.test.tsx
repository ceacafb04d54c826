/**
 * Issue 11 pages against a gateway stub: 证件材料审核 (search by ID number sent as idNumber, a
 * partial number refused on the page, several approved at once with the refused one marked) and
 * the resident's 核实结果出来后通知我 (subscribes dispute_result).
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { http } from '@/services/gateway';
import StaffDocumentsPage from '@/staff/pages/documents/index';
import DisputeNotify from '@/components/resident/DisputeNotify';
import type { PendingDocument } from '@contracts/staff';

const T = Taro as unknown as Record<string, unknown>;
type Reply = unknown | ((event: any) => unknown);
let sent: Array<{ url: string; data: any }>;

function gateway(replies: Record<string, Reply>) {
  sent = [];
  return jest.spyOn(http as any, 'post').mockImplementation((async (opts: Taro.request.Option) => {
    const data = opts.data as any;
    sent.push({ url: String(opts.url), data });
    const r = replies[data?.action];
    if (r === undefined) return { statusCode: 200, data: { result: { ok: false, error: { code: 'TEST', message: '测试未提供' } } }, header: {} };
    return { statusCode: 200, data: { result: typeof r === 'function' ? (r as (e: any) => unknown)(data) : r }, header: {} };
  }) as any);
}
const ok = (data: unknown) => ({ ok: true, data });

const doc = (documentId: string, personName: string): PendingDocument => ({
  documentId,
  personId: `p-${documentId}`,
  personName,
  idMasked: '340***********2174',
  district: '蜀山区',
  kind: 'id_card_front',
  mime: 'image/png',
  uploadedAt: '2023-10-08T02:00:00.000Z',
  status: 'pending_review',
  reason: null,
  reviewedAt: null,
  address: '合肥市蜀山区长江西路100号',
  community: '安居苑社区',
  hukou: 'local',
  answers: { employeeInsured: false, enrolledElsewhere: false },
  payment: { benefitYear: 2024, status: 'not_enrolled', text: '未参保' },
  fileDeleted: false,
  fileMismatch: false,
});

async function typeInto(container: HTMLElement, name: string, value: string) {
  let el: HTMLInputElement | null = null;
  await waitFor(() => {
    el = container.querySelector<HTMLInputElement>(`input[name="${name}"]`);
    expect(el).toBeTruthy();
  });
  fireEvent.input(el!, { target: { value } });
}

afterEach(() => jest.restoreAllMocks());

describe('证件材料审核 (staff)', () => {
  it('shows the registered facts; searches by the full ID number; refuses a partial one on the page', async () => {
    gateway({ listPending: (e: any) => ok({ items: e.idNumber ? [doc('d1', '刘洋')] : [doc('d1', '刘洋'), doc('d2', '贝宁')], nextCursor: null }) });
    const { container } = render(<StaffDocumentsPage />);
    await screen.findByText('贝宁');
    expect(screen.getAllByTestId('review-facts')[0].textContent).toContain('常住地址：合肥市蜀山区长江西路100号所属社区：安居苑社区更正社区 ›户籍：合肥市户籍参保条件：已参加职工医保：否；已在其他地方参保：否2024年度缴费：未参保');

    await typeInto(container, 'query', '34010419');
    await act(async () => fireEvent.click(screen.getByText('查找')));
    await screen.findByText('请输入完整的18位身份证号码，或输入姓名');
    expect(sent.filter((s) => s.data?.action === 'listPending')).toHaveLength(1);

    await typeInto(container, 'query', '34010419900315217x');
    await act(async () => fireEvent.click(screen.getByText('查找')));
    await waitFor(() => expect(screen.queryByText('贝宁')).toBeNull());
    expect(sent.at(-1)?.data).toEqual({ action: 'listPending', limit: 20, status: 'pending_review', idNumber: '34010419900315217X' });
  });

  it('approves several at once; the refused one stays, marked with its code', async () => {
    gateway({
      listPending: ok({ items: [doc('d1', '刘洋'), doc('d2', '贝宁')], nextCursor: null }),
      approveMany: ok({ approved: 1, results: [{ documentId: 'd1', ok: true, status: 'approved' }, { documentId: 'd2', ok: false, code: 'OUT_OF_SCOPE', message: '该人员不在您的管辖范围内' }] }),
    });
    render(<StaffDocumentsPage />);
    await screen.findByText('贝宁');
    for (const chip of screen.getAllByTestId('review-select')) fireEvent.click(chip);
    await act(async () => fireEvent.click(screen.getByText('批量通过（2 份）')));
    await screen.findByText('已通过 1 份，1 份未通过，原因见各材料');
    expect(sent.find((s) => s.data?.action === 'approveMany')?.data).toEqual({ action: 'approveMany', documentIds: ['d1', 'd2'] });
    expect(screen.queryByText('刘洋')).toBeNull();
    expect(screen.getByTestId('review-refused').textContent).toBe('未通过：该人员不在您的管辖范围内（错误代码：OUT_OF_SCOPE）');
  });
});

describe('核实结果出来后通知我 (resident)', () => {
  it('subscribes dispute_result', async () => {
    gateway({ subscribe: ok({ templates: ['dispute_result'] }) });
    render(<DisputeNotify />);
    await act(async () => fireEvent.click(screen.getByText('核实结果出来后通知我')));
    await screen.findByTestId('dispute-notify-done');
    expect(sent.find((s) => s.data?.action === 'subscribe')?.data).toEqual({ action: 'subscribe', templates: ['dispute_result'] });
  });
});

/**
 * The 实名核验 page and the staff 身份争议核实 page, rendered with Taro's H5 components against a
 * gateway stub: what is sent to the functions, and what the person sees.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { http } from '@/services/gateway';
import VerifyPage from '@/pages/verify/index';
import FamilyAddPage from '@/pages/family-add/index';
import StaffDisputesPage from '@/staff/pages/disputes/index';
import type { DisputeItem } from '@contracts/staffIdentity';

jest.mock('@tarojs/taro', () => {
  const actual = jest.requireActual('@tarojs/taro');
  return { __esModule: true, ...actual, default: actual.default, useRouter: () => ({ params: {} }) };
});

const T = Taro as unknown as Record<string, unknown>;
const ID = '340104198803152426';

type Reply = unknown | ((event: any) => unknown);
let sent: Array<{ url: string; data: any }>;

/** The gateway: `/api/functions/<fn>` answers by action from `replies`; other paths from `paths`. */
function gateway(replies: Record<string, Reply>, paths: Record<string, unknown> = {}) {
  sent = [];
  return jest.spyOn(http as any, 'post').mockImplementation((async (opts: Taro.request.Option) => {
    const url = String(opts.url);
    const data = opts.data as any;
    sent.push({ url, data });
    if (url in paths) return { statusCode: 200, data: paths[url], header: {} };
    const r = replies[data?.action];
    if (r === undefined) return { statusCode: 200, data: { result: { ok: false, error: { code: 'TEST', message: '测试未提供' } } }, header: {} };
    const value = typeof r === 'function' ? (r as (e: any) => unknown)(data) : r;
    return { statusCode: 200, data: { result: value }, header: {} };
  }) as any);
}
const ok = (data: unknown) => ({ ok: true, data });

async function input(container: HTMLElement, name: string, value: string) {
  let el: HTMLInputElement | null = null;
  await waitFor(() => {
    // The address is a multi-line <textarea>, the other fields <input>s.
    el = container.querySelector<HTMLInputElement>(`input[name="${name}"], textarea[name="${name}"]`);
    expect(el).toBeTruthy();
  });
  fireEvent.input(el!, { target: { value } });
}

const choose = (group: string, label: string) => {
  const g = screen.getByTestId(`choice-${group}`);
  const option = Array.from(g.querySelectorAll('[role="radio"]')).find((o) => o.textContent?.includes(label));
  fireEvent.click(option!);
};

/** Answers every eligibility question shown with 是 or 否. */
const answerAll = (label: '是' | '否') => {
  for (const q of screen.getAllByTestId(/^question-/)) {
    const option = Array.from(q.querySelectorAll('[role="radio"]')).find((o) => o.textContent === label);
    fireEvent.click(option!);
  }
};

const unverified = (faceAvailable: boolean) => ok({ verified: false, method: null, personId: null, name: null, idMasked: null, faceAvailable });

beforeEach(() => {
  jest.restoreAllMocks();
  process.env.TARO_ENV = 'h5';
  Taro.clearStorageSync();
});

describe('实名核验 page', () => {
  it('face verification through the sheet: the ticket and the facts go to verifySelf, then the documents step', async () => {
    gateway(
      {
        consentStatus: ok({ accepted: true, acceptedVersion: '2023-08', currentVersion: '2023-08', acceptedAt: null }),
        identityStatus: unverified(true),
        verifySelf: ok({ personId: 'p1', name: '周静', idMasked: '340***********2426', relation: 'self', district: '蜀山区', created: true, needsDocument: true }),
      },
      { '/api/identity/verify': { verifyResult: 'vr-123' } },
    );
    const redirect = jest.spyOn(T as any, 'redirectTo').mockResolvedValue({} as any);
    const { container } = render(<VerifyPage />);
    await screen.findByTestId('verify-intro');
    await input(container, 'name', '周静');
    await input(container, 'idNumber', ID);
    await input(container, 'address', '合肥市蜀山区长江西路100号');
    await input(container, 'mobile', '13800001234');
    choose('hukou', '合肥市户籍');
    answerAll('否');
    fireEvent.click(screen.getByText('开始人脸核验'));
    await screen.findByTestId('verify-sheet');
    expect(sent.some((s) => s.data?.action === 'verifySelf')).toBe(false);
    await act(async () => {
      fireEvent.click(screen.getByText('核验通过'));
    });
    await waitFor(() => expect(redirect).toHaveBeenCalledWith({ url: '/pages/documents/index?personId=p1&flow=1' }));
    expect(sent.find((s) => s.url === '/api/identity/verify')?.data).toEqual({ name: '周静', idNumber: ID, pass: true });
    const call = sent.find((s) => s.data?.action === 'verifySelf')!.data;
    expect(call).toEqual({
      action: 'verifySelf',
      name: '周静',
      sex: 'female',
      idNumber: ID,
      hukou: 'local',
      address: '合肥市蜀山区长江西路100号',
      mobile: '13800001234',
      answers: { employeeInsured: false, enrolledElsewhere: false },
      verifyResult: 'vr-123',
    });
  });

  it('a form with mistakes never opens the sheet', async () => {
    gateway({ consentStatus: ok({ accepted: true, acceptedVersion: '2023-08', currentVersion: '2023-08', acceptedAt: null }), identityStatus: unverified(true) });
    const { container } = render(<VerifyPage />);
    await screen.findByTestId('verify-intro');
    await input(container, 'idNumber', '340104198803152420');
    fireEvent.click(screen.getByText('开始人脸核验'));
    await screen.findByText('身份证号码不正确，请核对后重新输入');
    expect(screen.queryByTestId('verify-sheet')).toBeNull();
  });

  it('the uniform refusal is shown, and the document path is offered', async () => {
    gateway(
      {
        consentStatus: ok({ accepted: true, acceptedVersion: '2023-08', currentVersion: '2023-08', acceptedAt: null }),
        identityStatus: unverified(true),
        verifySelf: { ok: false, error: { code: 'IDENTITY_CHECK_FAILED', message: '身份核验未通过，请核对姓名和证件号码后重试；如多次未通过，请到社区办理' } },
      },
      { '/api/identity/verify': { verifyResult: 'vr-no' } },
    );
    const { container } = render(<VerifyPage />);
    await screen.findByTestId('verify-intro');
    await input(container, 'name', '周静');
    await input(container, 'idNumber', ID);
    await input(container, 'address', '合肥市蜀山区长江西路100号');
    await input(container, 'mobile', '13800001234');
    choose('hukou', '合肥市户籍');
    answerAll('否');
    fireEvent.click(screen.getByText('开始人脸核验'));
    await screen.findByTestId('verify-sheet');
    await act(async () => {
      fireEvent.click(screen.getByText('核验不通过'));
    });
    await waitFor(() => expect(screen.getByTestId('form-error').textContent).toContain('身份核验未通过'));
    expect(screen.getByTestId('document-path').textContent).toContain('上传证件，由工作人员审核');
  });

  it('face verification not configured: only the document path', async () => {
    gateway({ consentStatus: ok({ accepted: true, acceptedVersion: '2023-08', currentVersion: '2023-08', acceptedAt: null }), identityStatus: unverified(false) });
    render(<VerifyPage />);
    await screen.findByTestId('face-unavailable');
    expect(screen.queryByText('开始人脸核验')).toBeNull();
    expect(screen.getByText('上传证件，由工作人员审核')).toBeTruthy();
  });
});

describe('添加参保人 before verification', () => {
  it('only asks to verify first; no form to fill in for nothing', async () => {
    gateway({ consentStatus: ok({ accepted: true, acceptedVersion: '2023-08', currentVersion: '2023-08', acceptedAt: null }), identityStatus: unverified(true) });
    render(<FamilyAddPage />);
    const card = await screen.findByTestId('verify-needed');
    expect(card.textContent).toContain('请先完成实名核验');
    expect(screen.queryByTestId('choice-relation')).toBeNull();
  });

  it('verified: the form, without 本人 among the relations', async () => {
    gateway({
      consentStatus: ok({ accepted: true, acceptedVersion: '2023-08', currentVersion: '2023-08', acceptedAt: null }),
      identityStatus: ok({ verified: true, method: 'face', personId: 'p1', name: '周静', idMasked: '340***********2426', faceAvailable: true }),
    });
    render(<FamilyAddPage />);
    const relations = await screen.findByTestId('choice-relation');
    expect(Array.from(relations.querySelectorAll('[role="radio"]')).map((r) => r.textContent)).toEqual(['配偶', '子女', '父母']);
    expect(screen.queryByTestId('verify-needed')).toBeNull();
  });
});

const DISPUTE: DisputeItem = {
  linkId: 'l2',
  personId: 'c1',
  personName: '周小雨',
  idMasked: '340***********1826',
  district: '蜀山区',
  relation: 'child',
  basis: 'guardian',
  claimantLabel: '李*',
  claimantVerified: true,
  evidenceDocumentIds: ['d9'],
  evidence: [{ documentId: 'd9', kind: 'hukou_page', mime: 'image/jpeg', status: 'pending_review', uploadedAt: '2023-10-08T02:00:00.000Z', fileDeleted: false, fileMismatch: false }],
  others: [{ relation: 'child', basis: 'guardian', status: 'active', claimantLabel: '周*', claimantVerified: true, since: '2023-10-01T02:00:00.000Z', evidence: [] }],
  since: '2023-10-08T02:00:00.000Z',
};

describe('身份争议核实 (staff)', () => {
  it('a decision needs a reason; then it is sent with the link and the decision', async () => {
    gateway({
      listDisputes: ok({ items: [DISPUTE] }),
      resolveDispute: (e: any) => ok({ linkId: e.linkId, status: e.decision === 'grant' ? 'active' : 'revoked', revoked: 1, told: 0 }),
    });
    const { container } = render(<StaffDisputesPage />);
    const card = await screen.findByTestId('dispute-item');
    // Side by side (issue 11): the disputed claim and the other one, each with its documents.
    const disputed = screen.getByTestId('claim-disputed').textContent;
    expect(disputed).toContain('李*（已实名核验）自称子女 · 监护人待核实 · 2023-10-08 10:00');
    expect(disputed).toContain('户口簿本人页（待审核）查看材料');
    const other = screen.getByTestId('claim-other').textContent;
    expect(other).toContain('周*（已实名核验）自称子女 · 监护人有效 · 2023-10-01 10:00');
    expect(other).toContain('没有上传证明材料');
    fireEvent.click(screen.getByText('同意其办理'));
    await screen.findByText('请填写原因（至少 2 个字）');
    expect(sent.some((s) => s.data?.action === 'resolveDispute')).toBe(false);
    await input(container, 'reason', '已核对户口簿，申请人为孩子母亲');
    await act(async () => {
      fireEvent.click(screen.getByText('同意其办理'));
    });
    await screen.findByText('已同意李*为周小雨办理');
    expect(sent.find((s) => s.data?.action === 'resolveDispute')?.data).toEqual({ action: 'resolveDispute', linkId: 'l2', decision: 'grant', reason: '已核对户口簿，申请人为孩子母亲' });
    expect(screen.queryByTestId('dispute-item')).toBeNull();
  });

  it("a refusal shows the function's code for staff", async () => {
    gateway({ listDisputes: { ok: false, error: { code: 'NOT_STAFF', message: '此功能仅限工作人员使用' } } });
    render(<StaffDisputesPage />);
    await screen.findByText('此功能仅限工作人员使用（错误代码：NOT_STAFF）');
  });
});

/**
 * The identity pieces of the resident pages (issue 9): the simulated face sheet, how WeChat's
 * face-verification failures are sorted, masking, where each flow goes next, the person card's
 * authorization and family-paying lines, the change history, invitations and the fact editor.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { http } from '@/services/gateway';
import type { HomePerson } from '@contracts/resident';
import VerifySheet from '@/components/resident/VerifySheet';
import FactHistory from '@/components/resident/FactHistory';
import { PersonCard, authorizationStep, clockTime } from '@/components/resident/HomeDashboard';
import { classifyFaceFailure, maskId, simulatedFaceVerify } from '@/services/identity';
import { useFaceVerify } from '@/components/resident/use-face-verify';
import { inviteLink, invitePath } from '@/components/resident/use-invitation';
import { afterRegistration, safeNext } from '@/pages/verify/use-verify-self';
import { afterAdd } from '@/pages/family-add/index';
import { factErrors } from '@/pages/person/use-person';
import { CloudCallError } from '@/services/errors';

const T = Taro as unknown as Record<string, unknown>;

beforeEach(() => {
  jest.restoreAllMocks();
  process.env.TARO_ENV = 'h5';
});

describe('simulated face-verification sheet', () => {
  it('shows the name and the masked number, and reports 通过 / 不通过', () => {
    const onResult = jest.fn();
    render(<VerifySheet name='周静' idNumber='340104198803152426' onResult={onResult} onCancel={() => {}} />);
    expect(screen.getByText('模拟人脸核身（本地）')).toBeTruthy();
    expect(screen.getByTestId('verify-name').textContent).toBe('周静');
    expect(screen.getByTestId('verify-id').textContent).toBe('身份证号码：340***********2426');
    expect(screen.getByTestId('verify-id').textContent).not.toContain('19880315');
    fireEvent.click(screen.getByText('核验通过'));
    fireEvent.click(screen.getByText('核验不通过'));
    expect(onResult.mock.calls).toEqual([[true], [false]]);
  });

  it('masks like the server: first 3 and last 4 only', () => {
    expect(maskId('34010419880315242x')).toBe('340***********242X');
    expect(maskId('123')).toBe('***');
  });

  it('asks the local cloud for a ticket with the session token; the ticket goes to redeem', async () => {
    const request = jest.spyOn(http as any, 'post').mockResolvedValue({ statusCode: 200, data: { verifyResult: 'vr-1' }, header: {} } as any);
    expect(await simulatedFaceVerify('周静', '340104198803152426', true)).toBe('vr-1');
    const opt = request.mock.calls[0][0] as Taro.request.Option;
    expect(opt.url).toBe('/api/identity/verify');
    expect(opt.data).toEqual({ name: '周静', idNumber: '340104198803152426', pass: true });
  });

  it('a reply without a ticket is refused, not redeemed', async () => {
    jest.spyOn(http as any, 'post').mockResolvedValue({ statusCode: 200, data: {}, header: {} } as any);
    await expect(simulatedFaceVerify('周静', '340104198803152426', true)).rejects.toBeInstanceOf(CloudCallError);
  });
});

function FaceHarness({ redeem }: { redeem: (r: string) => Promise<void> }) {
  const f = useFaceVerify(redeem);
  return (
    <div>
      <button onClick={() => void f.start('周静', '340104198803152426')}>start</button>
      {f.sheet ? <VerifySheet {...f.sheet} /> : null}
      {f.error ? <p data-testid='err'>{(f.error as Error).message}</p> : null}
    </div>
  );
}

describe('useFaceVerify (H5)', () => {
  it('opens the sheet, redeems the ticket and closes it', async () => {
    jest.spyOn(http as any, 'post').mockResolvedValue({ statusCode: 200, data: { verifyResult: 'vr-ok' }, header: {} } as any);
    const redeem = jest.fn().mockResolvedValue(undefined);
    render(<FaceHarness redeem={redeem} />);
    fireEvent.click(screen.getByText('start'));
    await screen.findByTestId('verify-sheet');
    await act(async () => {
      fireEvent.click(screen.getByText('核验通过'));
    });
    await waitFor(() => expect(redeem).toHaveBeenCalledWith('vr-ok'));
    expect(screen.queryByTestId('verify-sheet')).toBeNull();
  });

  it("the server's refusal is shown, with its plain message", async () => {
    jest.spyOn(http as any, 'post').mockResolvedValue({ statusCode: 200, data: { verifyResult: 'vr-no' }, header: {} } as any);
    const redeem = jest.fn().mockRejectedValue(new CloudCallError('IDENTITY_CHECK_FAILED', '身份核验未通过，请核对姓名和证件号码后重试；如多次未通过，请到社区办理'));
    render(<FaceHarness redeem={redeem} />);
    fireEvent.click(screen.getByText('start'));
    await screen.findByTestId('verify-sheet');
    await act(async () => {
      fireEvent.click(screen.getByText('核验不通过'));
    });
    await waitFor(() => expect(screen.getByTestId('err').textContent).toContain('身份核验未通过'));
  });
});

describe("WeChat's face-verification failures", () => {
  it('cancel, camera and other failures are told apart', () => {
    expect(classifyFaceFailure({ errCode: 90100, errMsg: 'startFacialRecognitionVerify:fail' })).toEqual({ kind: 'cancel' });
    expect(classifyFaceFailure({ errCode: 0, errMsg: 'startFacialRecognitionVerify:fail cancel' }).kind).toBe('cancel');
    const camera = classifyFaceFailure({ errCode: 90199, errMsg: 'fail' });
    expect(camera.kind).toBe('unavailable');
    expect(camera.kind === 'unavailable' && camera.message).toContain('摄像头');
    expect(camera.kind === 'unavailable' && camera.message).toContain('上传身份证件');
    expect(classifyFaceFailure({ errMsg: 'startFacialRecognitionVerify:fail auth deny' }).kind).toBe('unavailable');
    // A failed check with a ticket goes to the server, which counts and audits it.
    expect(classifyFaceFailure({ errCode: 10004, errMsg: 'fail', verifyResult: 'vr' })).toEqual({ kind: 'result', verifyResult: 'vr' });
    const unsupported = classifyFaceFailure({ errCode: 10001, errMsg: 'fail' });
    expect(unsupported.kind === 'unavailable' && unsupported.reason).toBe('unsupported');
  });
});

describe('where each flow goes next', () => {
  it('after verification: only our own pages as `next`', () => {
    expect(safeNext(encodeURIComponent('/pages/invite/index?code=abcdefghij12'))).toBe('/pages/invite/index?code=abcdefghij12');
    expect(safeNext('https://evil.example/x')).toBeNull();
    expect(safeNext(encodeURIComponent('/pages/invite/index?code=a"onload'))).toBeNull();
    expect(safeNext(undefined)).toBeNull();
    expect(afterRegistration({ personId: 'p1', created: true, needsDocument: true }, null)).toBe('/pages/documents/index?personId=p1&flow=1');
    expect(afterRegistration({ personId: 'p1', created: true, needsDocument: false }, null)).toBe('/pages/quote/index?persons=p1&skipDocs=1');
    expect(afterRegistration({ personId: 'p1', created: false, needsDocument: false }, null)).toBe('/pages/index/index');
    expect(afterRegistration({ personId: 'p1', created: true, needsDocument: true }, '/pages/invite/index?code=x')).toBe('/pages/invite/index?code=x');
  });

  it('after adding: evidence for a child, an invitation for an adult, staff for a dispute', () => {
    const m = { personId: 'c1', needsDocument: true };
    expect(afterAdd({ ...m, next: 'upload_evidence' }, ['p1'])).toBe('/pages/documents/index?personId=c1&evidence=1&flow=1&with=p1');
    expect(afterAdd({ ...m, next: 'invite' }, ['p1'])).toBe('/pages/person/index?personId=c1');
    expect(afterAdd({ ...m, next: 'wait_staff' }, [])).toBe('/pages/person/index?personId=c1');
    expect(afterAdd({ personId: 'c1', needsDocument: false, next: 'none' }, ['p1'])).toBe('/pages/quote/index?persons=p1,c1&skipDocs=1');
  });
});

const PERSON: HomePerson = {
  personId: 'p2',
  name: '周建国',
  idMasked: '340***********1219',
  relation: 'parent',
  newborn: false,
  status: 'not_enrolled',
  statusText: '未参保',
  payableFen: 38000,
  expectedBy: null,
  reasons: [],
  pendingOutTradeNo: null,
  documents: [],
  nextStep: { kind: 'pay', text: '去缴费' },
  verified: false,
  authorization: 'pending',
  familyPaying: null,
};

describe('person card: authorization and family paying', () => {
  it('pending adult: 待授权, and the step is the invitation on the person page, never 去缴费', async () => {
    const nav = jest.spyOn(T as any, 'navigateTo').mockResolvedValue({} as any);
    render(<PersonCard person={PERSON} year={2024} />);
    expect(screen.getByTestId('person-authorization').textContent).toBe('待授权');
    expect(screen.queryByText('去缴费')).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByText('邀请周建国授权'));
    });
    await waitFor(() => expect(nav).toHaveBeenCalledWith({ url: '/pages/person/index?personId=p2' }));
  });

  it('pending child: evidence; disputed: 待社区核实; active: none', () => {
    expect(authorizationStep({ ...PERSON, relation: 'child' })?.tag).toBe('待上传证明');
    expect(authorizationStep({ ...PERSON, authorization: 'disputed' })?.tag).toBe('待社区核实');
    expect(authorizationStep({ ...PERSON, authorization: 'active' })).toBeNull();
  });

  it('another family member paying: the time (Beijing), never an order number', () => {
    render(<PersonCard person={{ ...PERSON, authorization: 'active', status: 'awaiting_payment', familyPaying: { since: '2023-10-08T02:05:00.000Z' } }} year={2024} />);
    expect(screen.getByTestId('family-paying').textContent).toBe('家人正在缴费（10:05）');
    expect(clockTime('2023-10-08T15:59:00Z')).toBe('23:59');
  });
});

describe('change history and fact editing', () => {
  it('lists each change: what, from → to, who, when', () => {
    render(
      <FactHistory
        entries={[
          { field: 'mobile', from: '138****1234', to: '139****5678', actorKind: 'family', at: '2023-10-08T02:00:00Z' },
          { field: 'hukou', from: '合肥市户籍', to: '外地户籍', actorKind: 'staff', at: '2023-10-09T03:30:00Z' },
        ]}
      />,
    );
    const rows = screen.getAllByTestId('fact-change');
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('手机号码');
    expect(rows[0].textContent).toContain('138****1234 → 139****5678');
    expect(rows[0].textContent).toContain('2023-10-08 10:00 · 家人修改');
    expect(rows[1].textContent).toContain('工作人员');
  });

  it('empty history says so', () => {
    render(<FactHistory entries={[]} />);
    expect(screen.getByText('还没有修改过')).toBeTruthy();
  });

  it('checks only the fact being changed', () => {
    const d = { mobile: '12', address: '', hukou: '' as const, answers: {} };
    expect(factErrors('mobile', d)).toEqual({ mobile: '请输入11位手机号码' });
    expect(factErrors('address', d)).toEqual({ address: '请输入常住地址' });
    expect(factErrors('hukou', d)).toEqual({ hukou: '请选择户籍类型' });
    expect(factErrors('mobile', { ...d, mobile: '13900001111' })).toEqual({});
  });
});

describe('invitation link', () => {
  it("is the invite page on this site (hash router), from the server's path", () => {
    const loc = { origin: 'http://127.0.0.1:8787', pathname: '/' };
    expect(invitePath({ code: 'abcdefghij12', path: 'pages/invite/index?code=abcdefghij12' })).toBe('/pages/invite/index?code=abcdefghij12');
    expect(inviteLink({ code: 'abcdefghij12', path: '/pages/invite/index?code=abcdefghij12' }, loc)).toBe('http://127.0.0.1:8787/#/pages/invite/index?code=abcdefghij12');
    expect(inviteLink({ code: 'abcdefghij12', path: '' }, loc)).toBe('http://127.0.0.1:8787/#/pages/invite/index?code=abcdefghij12');
  });
});

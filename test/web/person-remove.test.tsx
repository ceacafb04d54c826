/**
 * Issue 10: a family member can be removed from the family on their page (移除家庭成员): the
 * caller's authorization ends (resident.removeFamilyMember), home is opened again; a refusal
 * stays on the page in plain words. The person's own page offers no removal.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { http } from '@/services/gateway';
import PersonPage from '@/pages/person/index';

const params: Record<string, string> = {};
jest.mock('@tarojs/taro', () => {
  const actual = jest.requireActual('@tarojs/taro');
  return { __esModule: true, ...actual, default: actual.default, useRouter: () => ({ params }) };
});
const T = Taro as unknown as Record<string, unknown>;
let sent: any[];

function gateway(replies: Record<string, unknown>) {
  sent = [];
  return jest.spyOn(http as any, 'post').mockImplementation((async (opts: Taro.request.Option) => {
    const data = opts.data as any;
    sent.push(data);
    const r = replies[data?.action];
    if (r === undefined) return { statusCode: 200, data: { result: { ok: false, error: { code: 'TEST', message: '测试未提供' } } }, header: {} };
    return { statusCode: 200, data: { result: r }, header: {} };
  }) as any);
}

const member = (personId: string, relation: string) => ({
  personId, name: relation === 'self' ? '王芳' : '王小明', idMasked: '340***********1234', relation, newborn: false, status: 'not_enrolled', statusText: '未参保',
  payableFen: 38000, expectedBy: null, reasons: [], pendingOutTradeNo: null, documents: [], nextStep: { kind: 'pay', text: '去缴费' },
  verified: true, authorization: 'active', familyPaying: null,
});
const home = {
  ok: true,
  data: {
    today: '2023-10-08', benefitYear: 2024, years: [2024], window: { start: '2023-09-01', end: '2023-12-31', open: true, daysLeft: 85, opensInDays: 0 },
    persons: [member('me', 'self'), member('kid', 'child')], self: { verified: true, method: 'face' },
  },
};

beforeEach(() => {
  jest.restoreAllMocks();
  for (const k of Object.keys(params)) delete params[k];
});

const removeButton = () => Array.from(document.querySelectorAll('.nut-button')).find((b) => b.textContent?.includes('移除家庭成员')) as HTMLElement;

test('移除家庭成员 ends the caller\'s authorization and goes home', async () => {
  params.personId = 'kid';
  gateway({ home, factHistory: { ok: true, data: { entries: [] } }, removeFamilyMember: { ok: true, data: { personId: 'kid' } } });
  const relaunch = jest.spyOn(T as any, 'reLaunch').mockResolvedValue({} as any);
  render(<PersonPage />);
  await screen.findByTestId('remove-member');
  await act(async () => fireEvent.click(removeButton()));
  await waitFor(() => expect(relaunch).toHaveBeenCalledWith({ url: '/pages/index/index' }));
  expect(sent).toContainEqual({ action: 'removeFamilyMember', personId: 'kid' });
});

test('a refusal stays on the page in plain words; the person\'s own page has no removal', async () => {
  params.personId = 'kid';
  gateway({ home, factHistory: { ok: true, data: { entries: [] } }, removeFamilyMember: { ok: false, error: { code: 'PERSON_NOT_FOUND', message: '没有找到这位家人，请从首页重新进入' } } });
  const relaunch = jest.spyOn(T as any, 'reLaunch').mockResolvedValue({} as any);
  const { unmount } = render(<PersonPage />);
  await screen.findByTestId('remove-member');
  await act(async () => fireEvent.click(removeButton()));
  expect((await screen.findByRole('alert')).textContent).toContain('没有找到这位家人');
  expect(relaunch).not.toHaveBeenCalled();
  unmount();
  params.personId = 'me';
  render(<PersonPage />);
  await screen.findByTestId('my-authorizations');
  expect(screen.queryByTestId('remove-member')).toBeNull();
});

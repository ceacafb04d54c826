/**
 * Issue 10, newborn: a refresh on the year page resumes on the years (the registered child's id
 * is kept in the draft), and a year without a table here shows the server's words — never
 * 尚未公布 for the current year. weapp environment, wx.cloud mocked.
 */
import { render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import NewbornPage from '@/pages/newborn/index';
import { draftKey } from '@/services/drafts';

const T = Taro as unknown as Record<string, any>;
const saved = { cloud: T.cloud };
let calls: any[];
const OFFLINE = '2023年度政策未在线上开放，请联系社区办理（蜀山区医保：0551-65125930）';

beforeEach(() => {
  process.env.TARO_ENV = 'weapp';
  calls = [];
  T.cloud = {
    callFunction: jest.fn(async ({ data }: { data: any }) => {
      calls.push(data);
      if (data.action === 'consentStatus') return { result: { ok: true, data: { accepted: true, acceptedVersion: '2023-08', currentVersion: '2023-08', acceptedAt: '2023-10-01T00:00:00.000Z' } } };
      if (data.action === 'identityStatus') {
        return { result: { ok: true, data: { verified: true, method: 'face', personId: 'me', name: '蒋琳', idMasked: '340***********1234', faceAvailable: true } } };
      }
      if (data.action === 'quoteNewborn') {
        return {
          result: {
            ok: true,
            data: {
              personId: data.personId,
              years: [
                { benefitYear: 2023, published: false, selectable: false, label: OFFLINE, quote: null },
                { benefitYear: 2024, published: false, selectable: false, label: '2024年度参保政策尚未公布', quote: null },
              ],
            },
          },
        };
      }
      return { result: { ok: false, error: { code: 'TEST', message: '测试未提供' } } };
    }),
  };
});

afterAll(() => {
  Object.assign(T, saved);
  process.env.TARO_ENV = 'h5';
});

test('a refresh with a registered child in the draft resumes on the years, showing the server label for 2023', async () => {
  Taro.setStorageSync(draftKey('newborn'), { name: '蒋小满', sex: 'female', birthDate: '2023-03-01', hukou: 'local', parentRelation: 'mother', guardianConsent: true, personId: 'child1' });
  render(<NewbornPage />);
  await waitFor(() => expect(calls).toContainEqual({ action: 'quoteNewborn', personId: 'child1' }));
  const y2023 = await screen.findByTestId('year-2023');
  expect(y2023.textContent).toContain(OFFLINE);
  expect(y2023.textContent).not.toContain('尚未公布');
  expect(calls.some((c) => c.action === 'registerNewborn')).toBe(false);
  Taro.removeStorageSync(draftKey('newborn'));
});

test('without a registered child the form is shown and nothing is quoted', async () => {
  render(<NewbornPage />);
  await waitFor(() => expect(calls.map((c) => c.action)).toContain('identityStatus'));
  expect(screen.queryByTestId('year-2023')).toBeNull();
  expect(calls.some((c) => c.action === 'quoteNewborn')).toBe(false);
});

test('a non-local baby: the parent questions are asked, unanswered ones stop the form, the answers are sent', async () => {
  const { fireEvent, act } = await import('@testing-library/react');
  Taro.setStorageSync(draftKey('newborn'), { name: '许小禾', sex: 'female', birthDate: '2023-03-01', birthCertificateNo: 'R340100002', hukou: 'local', parentRelation: 'mother', guardianConsent: true, personId: '' });
  render(<NewbornPage />);
  await waitFor(() => expect(calls.map((c) => c.action)).toContain('identityStatus'));
  // Hefei hukou: nothing to ask.
  expect(screen.queryByTestId('eligibility-questions')).toBeNull();
  const radio = (group: string, label: string) =>
    Array.from(screen.getByTestId(group).querySelectorAll('[role="radio"]')).find((el) => el.textContent === label) as HTMLElement;
  await act(async () => fireEvent.click(radio('choice-hukou', '外地户籍')));
  const qs = await screen.findByTestId('eligibility-questions');
  expect(qs.textContent).toContain('孩子的父亲或母亲是否持有合肥市居住证？');
  expect(qs.textContent).not.toContain('是否已参加职工医保？');
  const next = Array.from(document.querySelectorAll('.nut-button')).find((b) => b.textContent?.includes('下一步'))!;
  await act(async () => fireEvent.click(next));
  expect((await screen.findByTestId('answers-error')).textContent).toBe('请回答全部参保条件问题');
  expect(calls.some((c) => c.action === 'registerNewborn')).toBe(false);
  await act(async () => fireEvent.click(radio('question-parentHasResidencePermit', '是')));
  await act(async () => fireEvent.click(radio('question-childOfLocalInsuredWorker', '否')));
  await act(async () => fireEvent.click(radio('question-insuredAtOrigin', '否')));
  await act(async () => fireEvent.click(next));
  await waitFor(() => expect(calls.find((c) => c.action === 'registerNewborn')).toBeDefined());
  expect(calls.find((c) => c.action === 'registerNewborn').answers).toEqual({ parentHasResidencePermit: true, childOfLocalInsuredWorker: false, insuredAtOrigin: false });
  Taro.removeStorageSync(draftKey('newborn'));
});

/**
 * Picking identity documents on a phone (weapp build): WeChat's picker failures become advice in
 * Chinese beside the slot (with 去设置 where the settings help), a cancel stays silent, a PDF
 * only from a chat; H5 keeps its file input. The documents page is rendered with Taro's H5
 * components and TARO_ENV switched to weapp; wx APIs are jest mocks on the Taro object.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { http } from '@/services/gateway';
import DocumentsPage, { acceptedHint } from '@/pages/documents/index';
import { classifyPickError, PICK_ADVICE } from '@/services/picker';

jest.mock('@tarojs/taro', () => {
  const actual = jest.requireActual('@tarojs/taro');
  return { __esModule: true, ...actual, default: actual.default, useRouter: () => ({ params: { personId: 'p1' } }) };
});

const T = Taro as unknown as Record<string, any>;
const saved = { cloud: T.cloud, chooseMedia: T.chooseMedia, chooseMessageFile: T.chooseMessageFile, openSetting: T.openSetting };

let calls: Array<{ name: string; data: any }>;
beforeEach(() => {
  process.env.TARO_ENV = 'weapp';
  calls = [];
  T.cloud = {
    callFunction: jest.fn(async ({ name, data }: { name: string; data: any }) => {
      calls.push({ name, data });
      if (data.action === 'listDocuments') return { result: { ok: true, data: { documents: [] } } };
      if (data.action === 'requestUpload') return { result: { ok: true, data: { cloudPath: 'documents/p1/x.jpg', maxBytes: 5 * 1024 * 1024 } } };
      return { result: { ok: false, error: { code: 'TEST', message: '测试未提供' } } };
    }),
    uploadFile: jest.fn(async () => ({ fileID: 'cloud://env/documents/p1/x.jpg' })),
  };
  T.chooseMedia = jest.fn();
  T.chooseMessageFile = jest.fn();
  T.openSetting = jest.fn(async () => ({ authSetting: { 'scope.camera': true } }));
});

afterAll(() => {
  Object.assign(T, saved);
  process.env.TARO_ENV = 'h5';
});

async function renderPage() {
  render(<DocumentsPage />);
  await waitFor(() => expect(screen.getByTestId('slot-id_card_front')).toBeTruthy());
}

async function tapSlot(testId = 'slot-id_card_front') {
  await act(async () => {
    fireEvent.click(screen.getByTestId(testId));
  });
}

describe('WeChat picker errors', () => {
  test.each([
    [{ errMsg: 'chooseMedia:fail cancel' }, 'cancelled'],
    [{ errMsg: 'chooseMessageFile:fail cancel' }, 'cancelled'],
    [{ errMsg: 'chooseMedia:fail auth deny' }, 'permission'],
    [{ errMsg: 'chooseMedia:fail auth denied' }, 'permission'],
    [{ errMsg: 'authorize:fail auth deny' }, 'permission'],
    [{ errMsg: 'chooseMedia:fail privacy permission is not authorized', errno: 104 }, 'privacy_declined'],
    [{ errMsg: 'chooseMedia:fail api scope is not declared in the privacy agreement', errno: 112 }, 'privacy_undeclared'],
    [{ errMsg: 'chooseMedia:fail please go to mp to announce your privacy usage', errno: 1026 }, 'privacy_undeclared'],
    [{ errMsg: 'chooseMedia:fail system error' }, 'failed'],
    [new Error('boom'), 'failed'],
  ])('%j is %s', (err, kind) => {
    expect(classifyPickError(err)).toBe(kind);
  });
});

describe('documents page in weapp', () => {
  test('a refused camera or album permission says what to do, and 去设置 opens the settings', async () => {
    T.chooseMedia.mockRejectedValue({ errMsg: 'chooseMedia:fail auth deny' });
    await renderPage();
    await tapSlot();
    const notice = await screen.findByTestId('pick-notice');
    expect(notice.getAttribute('role')).toBe('alert');
    expect(notice.textContent).toContain('没有相机或相册权限');
    expect(notice.textContent).toContain('去设置');
    expect(T.chooseMedia).toHaveBeenCalledWith(expect.objectContaining({ mediaType: ['image'], sourceType: ['album', 'camera'], sizeType: ['compressed'] }));

    await act(async () => {
      fireEvent.click(screen.getByText('去设置'));
    });
    expect(T.openSetting).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.queryByTestId('pick-notice')).toBeNull());
    // Nothing was uploaded.
    expect(calls.map((c) => c.data.action)).toEqual(['listDocuments']);
  });

  test('a declined privacy pop-up asks to agree next time (no settings button: they cannot help)', async () => {
    T.chooseMedia.mockRejectedValue({ errMsg: 'chooseMedia:fail privacy permission is not authorized', errno: 104 });
    await renderPage();
    await tapSlot();
    const notice = await screen.findByTestId('pick-notice');
    expect(notice.textContent).toContain(PICK_ADVICE.privacy_declined.message);
    expect(notice.textContent).not.toContain('去设置');
  });

  test('an undeclared privacy scope tells the resident it is not their doing and where else to go', async () => {
    T.chooseMedia.mockRejectedValue({ errMsg: 'chooseMedia:fail api scope is not declared in the privacy agreement', errno: 112 });
    await renderPage();
    await tapSlot();
    const notice = await screen.findByTestId('pick-notice');
    expect(notice.textContent).toContain('社区（村）服务窗口');
    fireEvent.click(screen.getByText('知道了'));
    await waitFor(() => expect(screen.queryByTestId('pick-notice')).toBeNull());
  });

  test('a cancelled picker says nothing and uploads nothing', async () => {
    T.chooseMedia.mockRejectedValue({ errMsg: 'chooseMedia:fail cancel' });
    await renderPage();
    await tapSlot();
    expect(T.chooseMedia).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('pick-notice')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(calls.map((c) => c.data.action)).toEqual(['listDocuments']);
  });

  test('a picked photo goes to the upload', async () => {
    T.chooseMedia.mockResolvedValue({ tempFiles: [{ tempFilePath: 'wxfile://tmp/photo.jpg', size: 120_000, fileType: 'image' }], type: 'image' });
    await renderPage();
    await tapSlot();
    await waitFor(() => expect(calls.map((c) => c.data.action)).toContain('attachDocument'));
    expect(calls.find((c) => c.data.action === 'requestUpload')?.data).toEqual({ action: 'requestUpload', personId: 'p1', kind: 'id_card_front', ext: 'jpg' });
    expect(T.cloud.uploadFile).toHaveBeenCalledWith({ cloudPath: 'documents/p1/x.jpg', filePath: 'wxfile://tmp/photo.jpg' });
  });

  test('a PDF comes from a WeChat chat (chooseMessageFile, pdf only); the hint says so', async () => {
    T.chooseMessageFile.mockRejectedValue({ errMsg: 'chooseMessageFile:fail cancel' });
    await renderPage();
    expect(screen.getByTestId('slot-id_card_front').textContent).toContain('PDF 可从微信聊天记录选择');
    await act(async () => {
      fireEvent.click(screen.getByTestId('chat-id_card_front'));
    });
    expect(T.chooseMessageFile).toHaveBeenCalledWith({ count: 1, type: 'file', extension: ['pdf'] });
    expect(screen.queryByTestId('pick-notice')).toBeNull();
  });

  test('where chooseMessageFile is missing, no PDF is offered', async () => {
    delete T.chooseMessageFile;
    await renderPage();
    expect(screen.queryByTestId('chat-id_card_front')).toBeNull();
    expect(screen.getByTestId('slot-id_card_front').textContent).not.toContain('PDF');
  });
});

describe('what a slot accepts', () => {
  test('H5 takes PDF in its file input; weapp photos, PDF only from a chat', () => {
    expect(acceptedHint(true, false)).toBe('JPG、PNG 或 PDF，不超过 5 MB');
    expect(acceptedHint(false, true)).toContain('PDF 可从微信聊天记录选择');
    expect(acceptedHint(false, false)).not.toContain('PDF');
  });

  test('H5 keeps the file input and offers no chat picker', async () => {
    process.env.TARO_ENV = 'h5';
    // H5 lists documents through the gateway; an empty list is enough here.
    jest.spyOn(http as any, 'post').mockResolvedValue({ statusCode: 200, data: { result: { ok: true, data: { documents: [] } } }, header: {} } as any);
    await renderPage();
    expect(screen.getByTestId('file-id_card_front').getAttribute('accept')).toBe('image/jpeg,image/png,application/pdf');
    expect(screen.queryByTestId('chat-id_card_front')).toBeNull();
  });
});

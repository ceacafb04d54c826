/**
 * Issue 10: photos are compressed on the phone before upload (an ordinary 6 MB photo goes
 * through), the uploaded slot shows a thumbnail, and an approved side says 已通过. Rendered
 * with Taro's H5 components and TARO_ENV switched to weapp (wx APIs are jest mocks).
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import DocumentsPage from '@/pages/documents/index';
import { compressPhoto } from '@/services/compress';

jest.mock('@tarojs/taro', () => {
  const actual = jest.requireActual('@tarojs/taro');
  return { __esModule: true, ...actual, default: actual.default, useRouter: () => ({ params: { personId: 'p1' } }) };
});

const T = Taro as unknown as Record<string, any>;
const saved = { cloud: T.cloud, chooseMedia: T.chooseMedia, compressImage: T.compressImage, getFileSystemManager: T.getFileSystemManager, requestSubscribeMessage: T.requestSubscribeMessage };
let documents: any[];
let calls: any[];

beforeEach(() => {
  process.env.TARO_ENV = 'weapp';
  documents = [];
  calls = [];
  T.cloud = {
    callFunction: jest.fn(async ({ data }: { data: any }) => {
      calls.push(data);
      if (data.action === 'listDocuments') return { result: { ok: true, data: { documents } } };
      if (data.action === 'requestUpload') return { result: { ok: true, data: { cloudPath: 'documents/p1/x.jpg', maxBytes: 5 * 1024 * 1024 } } };
      if (data.action === 'subscribe') return { result: { ok: true, data: { templates: data.templates } } };
      if (data.action === 'attachDocument') {
        return { result: { ok: true, data: { documentId: 'd1', kind: data.kind, status: 'pending_review', reason: null, uploadedAt: '2023-10-08T02:00:00.000Z' } } };
      }
      return { result: { ok: false, error: { code: 'TEST', message: '测试未提供' } } };
    }),
    uploadFile: jest.fn(async () => ({ fileID: 'cloud://env/documents/p1/x.jpg' })),
  };
  T.chooseMedia = jest.fn();
  T.compressImage = jest.fn(async () => ({ tempFilePath: 'wxfile://tmp/small.jpg' }));
  T.getFileSystemManager = () => ({ getFileInfo: ({ success }: { success: (i: { size: number }) => void }) => success({ size: 780_000 }) });
});

afterAll(() => {
  Object.assign(T, saved);
  process.env.TARO_ENV = 'h5';
});

test('an ordinary 6 MB phone photo is compressed (compressImage) and uploaded; the slot shows its thumbnail', async () => {
  T.chooseMedia.mockResolvedValue({ tempFiles: [{ tempFilePath: 'wxfile://tmp/big.jpg', size: 6 * 1024 * 1024, fileType: 'image' }], type: 'image' });
  render(<DocumentsPage />);
  await waitFor(() => expect(screen.getByTestId('slot-id_card_front')).toBeTruthy());
  await act(async () => {
    fireEvent.click(screen.getByTestId('slot-id_card_front'));
  });
  await waitFor(() => expect(calls.map((c) => c.action)).toContain('attachDocument'));
  expect(T.compressImage).toHaveBeenCalledWith(expect.objectContaining({ src: 'wxfile://tmp/big.jpg' }));
  expect(T.cloud.uploadFile).toHaveBeenCalledWith({ cloudPath: 'documents/p1/x.jpg', filePath: 'wxfile://tmp/small.jpg' });
  const thumb = await screen.findByTestId('thumb-id_card_front');
  expect(thumb.getAttribute('src') ?? thumb.querySelector('img')?.getAttribute('src')).toBe('wxfile://tmp/small.jpg');
  expect(screen.getByTestId('slot-id_card_front').textContent).toContain('已上传，等待审核');
  expect(screen.queryByText('文件不能超过 5 MB，请重新拍照或压缩后上传')).toBeNull();
});

test('an approved side says 已通过, not 已上传，等待审核', async () => {
  documents = [
    { documentId: 'd1', kind: 'id_card_front', status: 'approved', reason: null, uploadedAt: '2023-10-08T02:00:00.000Z' },
    { documentId: 'd2', kind: 'id_card_back', status: 'pending_review', reason: null, uploadedAt: '2023-10-08T02:00:00.000Z' },
  ];
  render(<DocumentsPage />);
  await waitFor(() => expect(screen.getByTestId('slot-id_card_front').textContent).toContain('已通过'));
  expect(screen.getByTestId('slot-id_card_front').textContent).not.toContain('等待审核');
  expect(screen.getByTestId('slot-id_card_back').textContent).toContain('已上传，等待审核');
});

test('a small photo and a PDF are sent as they are', async () => {
  const small = { source: 'wxfile://tmp/a.jpg', name: 'a.jpg', size: 300_000 };
  const pdf = { source: 'wxfile://tmp/a.pdf', name: 'a.pdf', size: 3_000_000 };
  expect(await compressPhoto(small)).toBe(small);
  expect(await compressPhoto(pdf)).toBe(pdf);
  expect(T.compressImage).not.toHaveBeenCalled();
});

test('完成 after an upload asks WeChat for the review-result message (document_result) and records it', async () => {
  documents = [
    { documentId: 'd1', kind: 'id_card_front', status: 'pending_review', reason: null, uploadedAt: '2023-10-08T02:00:00.000Z' },
    { documentId: 'd2', kind: 'id_card_back', status: 'pending_review', reason: null, uploadedAt: '2023-10-08T02:00:00.000Z' },
  ];
  T.requestSubscribeMessage = jest.fn(async ({ tmplIds }: { tmplIds: string[] }) => Object.fromEntries(tmplIds.map((id) => [id, 'accept'])));
  jest.spyOn(T as any, 'getCurrentPages').mockReturnValue([{}, {}]);
  jest.spyOn(T as any, 'navigateBack').mockResolvedValue({});
  const { container } = render(<DocumentsPage />);
  await waitFor(() => expect(screen.getByTestId('slot-id_card_back').textContent).toContain('已上传'));
  const next = Array.from(container.querySelectorAll('.nut-button')).find((b) => b.textContent?.includes('完成'))!;
  await act(async () => {
    fireEvent.click(next);
  });
  const ids = (globalThis as any).SUBSCRIBE_TEMPLATE_IDS;
  expect(T.requestSubscribeMessage).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: [ids.document_result] }));
  await waitFor(() => expect(calls).toContainEqual({ action: 'subscribe', templates: ['document_result'] }));
});

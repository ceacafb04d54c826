/**
 * Opening one document's file for staff: the function checks the file's type again by its bytes
 * and only then hands out a short-lived URL (two minutes), so the URL is fetched when staff tap,
 * never kept with the list. weapp shows images in WeChat's viewer and PDFs in its document viewer.
 */
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { CloudCallError } from '@/services/errors';
import { staffDocuments } from '@/services/staff';
import { staffError } from './review-text';

/** weapp has no links: a PDF is downloaded and opened with WeChat's document viewer. */
async function openPdfInWeapp(url: string): Promise<void> {
  try {
    const { tempFilePath } = await Taro.downloadFile({ url });
    await Taro.openDocument({ filePath: tempFilePath, fileType: 'pdf', showMenu: false });
  } catch {
    void Taro.showToast({ title: '文件打开失败，请稍后重试', icon: 'none' });
  }
}

export function useDocumentFile(documentId: string, mime: string) {
  const [url, setUrl] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The server found the bytes changed since upload: the file is flagged and never shown.
  const [mismatch, setMismatch] = useState(false);
  const isPdf = mime === 'application/pdf';

  const toggle = async () => {
    if (open) {
      setOpen(false);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await staffDocuments({ action: 'openDocument', documentId });
      setUrl(r.tempUrl);
      if (process.env.TARO_ENV !== 'h5' && !isPdf) void Taro.previewImage({ urls: [r.tempUrl], current: r.tempUrl });
      else setOpen(true);
    } catch (err) {
      if (err instanceof CloudCallError && err.code === 'FILE_MISMATCH') setMismatch(true);
      setError(staffError(err));
    } finally {
      setBusy(false);
    }
  };

  return { url, open, busy, error, mismatch, isPdf, toggle, openPdf: () => url && void openPdfInWeapp(url) };
}

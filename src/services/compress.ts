/**
 * Photos are made smaller on the phone before upload: an ordinary phone photo (4–8 MB) would
 * otherwise be refused by the 5 MB limit. weapp: Taro.compressImage on the temp file; H5:
 * browser-image-compression (loaded only in the H5 build, on first use). A PDF, a small photo,
 * or a failed compression is sent as it is (the size check after this still applies).
 */
import Taro from '@tarojs/taro';
import type { PickedFile } from './picker';

/** Photos above this are compressed; below it they are already fine to read and to send. */
export const COMPRESS_ABOVE_BYTES = 1024 * 1024;
/** Long side after compression: an ID card stays readable for the reviewer. */
export const MAX_SIDE_PX = 2000;

const isPhoto = (p: PickedFile): boolean => (p.type ? /^image\/(jpe?g|png)$/i.test(p.type) : /\.(jpe?g|png)$/i.test(p.name));

export async function compressPhoto(p: PickedFile): Promise<PickedFile> {
  if (!isPhoto(p) || p.size <= COMPRESS_ABOVE_BYTES) return p;
  try {
    if (process.env.TARO_ENV === 'h5') {
      const { default: imageCompression } = await import('browser-image-compression');
      const out = await imageCompression(p.source as File, { maxSizeMB: 1, maxWidthOrHeight: MAX_SIDE_PX, useWebWorker: false, fileType: 'image/jpeg', initialQuality: 0.8 });
      const name = p.name.replace(/\.(png|jpe?g)$/i, '') + '.jpg';
      return { source: new File([out], name, { type: 'image/jpeg' }), name, size: out.size, type: 'image/jpeg' };
    }
    const r = await Taro.compressImage({ src: p.source as string, quality: 70, compressedWidth: 1600 } as Taro.compressImage.Option);
    const size = await new Promise<number>((resolve) =>
      Taro.getFileSystemManager().getFileInfo({ filePath: r.tempFilePath, success: (i) => resolve(i.size), fail: () => resolve(p.size) }),
    );
    return { source: r.tempFilePath, name: r.tempFilePath, size, type: p.type };
  } catch {
    return p;
  }
}

/** A local address to show the picked photo as a thumbnail (no download from the cloud needed). */
export function previewOf(p: PickedFile): string | null {
  if (!isPhoto(p)) return null;
  if (typeof p.source === 'string') return p.source;
  return typeof URL !== 'undefined' && typeof URL.createObjectURL === 'function' ? URL.createObjectURL(p.source as Blob) : null;
}

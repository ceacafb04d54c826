/** Thin typed wrappers around Taro's synchronous storage (weapp storage, localStorage in H5). */
import Taro from '@tarojs/taro';

export function readStored<T>(key: string): T | undefined {
  try {
    const v = Taro.getStorageSync(key);
    return v === '' || v === undefined || v === null ? undefined : (v as T);
  } catch {
    return undefined;
  }
}

export function writeStored(key: string, value: unknown): void {
  try {
    Taro.setStorageSync(key, value);
  } catch {
    // Storage full or unavailable: the preference lasts for this session only.
  }
}

export function removeStored(key: string): void {
  try {
    Taro.removeStorageSync(key);
  } catch {
    // ignore
  }
}

/** Removes every stored key that starts with `prefix` (e.g. all form drafts at sign-out). */
export function removeStoredPrefix(prefix: string): void {
  try {
    for (const key of Taro.getStorageInfoSync().keys) if (key.startsWith(prefix)) Taro.removeStorageSync(key);
  } catch {
    // ignore
  }
}

/**
 * Large-text mode (大字模式): stored in Taro storage, shared by every page through a hook.
 * Pages do not read it themselves: PageShell applies the root class `hf-large`.
 */
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { readStored, writeStored } from './storage';

export const LARGE_TEXT_KEY = 'hf.largeText';
const EVENT = 'hf:largeText';

export function getLargeText(): boolean {
  return readStored<boolean>(LARGE_TEXT_KEY) === true;
}

export function setLargeText(on: boolean): void {
  writeStored(LARGE_TEXT_KEY, on);
  Taro.eventCenter.trigger(EVENT, on);
}

/** [on, set]: re-renders every mounted page when any of them toggles the mode. */
export function useLargeText(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState<boolean>(getLargeText);
  useEffect(() => {
    const listener = (v: boolean) => setOn(v);
    Taro.eventCenter.on(EVENT, listener);
    // A page kept in the stack may have missed a toggle while it was hidden.
    setOn(getLargeText());
    return () => {
      Taro.eventCenter.off(EVENT, listener);
    };
  }, []);
  return [on, setLargeText];
}

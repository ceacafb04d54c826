/** State of 学生参保: the caller's own roster entry and their children's, as the server found them. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import type { StudentEntries } from '@contracts/student';
import { student } from '../../student-service';

// Absent outside a Taro page (a component test): then only the first load happens.
const useShow: (cb: () => void) => void = typeof useDidShow === 'function' ? useDidShow : () => undefined;

export function useStudentEntries() {
  const [data, setData] = useState<StudentEntries | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const loaded = useRef(false);
  const load = useCallback(async (quiet = false) => {
    if (!quiet) setLoading(true);
    setError(null);
    try {
      setData(await student({ action: 'myEntries' }));
      loaded.current = true;
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  // Back from paying: the entry shows its new status, without the loading flash.
  useShow(() => {
    if (loaded.current) void load(true);
  });
  return { data, loading, error, reload: () => load() };
}

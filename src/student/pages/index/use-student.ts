/** State of 学生参保: the caller's own roster entry and their children's, as the server found them. */
import { useCallback, useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import type { StudentEntries } from '@contracts/student';
import { student } from '../../student-service';

export function useStudentEntries() {
  const [data, setData] = useState<StudentEntries | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await student({ action: 'myEntries' }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, []);
  // Back from paying: the entry shows its new status.
  useDidShow(() => void load());
  return { data, loading, error, reload: load };
}

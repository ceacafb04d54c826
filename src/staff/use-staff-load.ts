/**
 * The load-and-reload of a staff page's data: `loading` until the first answer, `error` as the
 * staff wording (message and code), and `load` to read again after an action. `fetch` asks the
 * functions; `apply` puts the answer into the page's state. Both are read at call time, so the
 * page may pass fresh closures on every render.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { staffError } from './review-text';

export function useStaffLoad<T>(fetch: () => Promise<T>, apply: (data: T) => void) {
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const latest = useRef({ fetch, apply });
  latest.current = { fetch, apply };
  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      latest.current.apply(await latest.current.fetch());
    } catch (err) {
      setError(staffError(err));
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  return { loading, error, load };
}

/**
 * State of 未参保人员排查: the summary (per district or community), the list in the caller's
 * scope filtered by a flag or visit state, a visit's outcome, the export and reminders. The
 * server decides scope; the page shows what it answered.
 */
import { useCallback, useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import type { ScreeningEntryView, ScreeningSummary } from '@contracts/staffSeason';
import { staffSeason } from '@/services/staff-season';
import { staffError } from '../../review-text';

export type Flag = '' | 'lapsed' | 'over60' | 'studentAge' | 'assisted';
export type Outcome = ScreeningEntryView extends { visit: infer V } ? (V extends { outcome: infer O } ? O : never) : never;
const PAGE = 20;

export function useScreening() {
  const [summary, setSummary] = useState<ScreeningSummary | null>(null);
  const [items, setItems] = useState<ScreeningEntryView[]>([]);
  const [total, setTotal] = useState(0);
  const [flag, setFlag] = useState<Flag>('');
  const [status, setStatus] = useState<'open' | 'unvisited' | 'closed'>('open');
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [file, setFile] = useState<{ url: string; fileName: string; rows: number } | null>(null);

  const load = useCallback(async (f: Flag, s: typeof status, append = 0) => {
    setLoading(true);
    setError(null);
    try {
      const [sum, list] = await Promise.all([
        append ? Promise.resolve(null) : staffSeason({ action: 'screeningSummary' }),
        staffSeason({ action: 'screeningList', status: s, skip: append, limit: PAGE, ...(f ? { flag: f } : {}) }),
      ]);
      if (sum) setSummary(sum);
      setItems((old) => (append ? [...old, ...list.items] : list.items));
      setTotal(list.total);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => void load(flag, status), [load, flag, status]);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setMessage(null);
    try {
      await work();
    } catch (err) {
      setMessage(staffError(err));
    } finally {
      setBusy(false);
    }
  };

  const visit = (entryId: string, outcome: Outcome) =>
    run(async () => {
      const e = await staffSeason({ action: 'screeningVisit', entryId, outcome });
      setItems((list) => (e.status === 'open' || status === 'closed' ? list.map((x) => (x.entryId === entryId ? e : x)) : list.filter((x) => x.entryId !== entryId)));
      if (e.status !== 'open' && status !== 'closed') setTotal((t) => t - 1);
      setMessage(`已记录走访结果：${e.name}`);
    });

  const exportList = () =>
    run(async () => {
      const f = await staffSeason({ action: 'screeningExport', format: 'xlsx', status, ...(flag ? { flag } : {}) });
      setFile(f);
      if (process.env.TARO_ENV === 'weapp') {
        const d = await Taro.downloadFile({ url: f.url });
        await Taro.openDocument({ filePath: d.tempFilePath, fileType: 'xlsx', showMenu: true });
      }
    });

  const remindShown = () =>
    run(async () => {
      const ids = items.filter((e) => e.status === 'open' && e.canRemind).map((e) => e.entryId).slice(0, 50);
      if (!ids.length) throw new Error('本页没有可以接收提醒的人员（需曾参保并有微信账号）');
      const r = await staffSeason({ action: 'screeningRemind', entryIds: ids });
      setMessage(`已发送提醒 ${r.sent} 人；未订阅提醒 ${r.notSubscribed} 人；无微信账号 ${r.noAccount} 人`);
      await load(flag, status);
    });

  return { summary, items, total, flag, setFlag, status, setStatus, loading, error, busy, message, file, load, more: () => load(flag, status, items.length), visit, exportList, remindShown };
}

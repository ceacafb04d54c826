/**
 * State of 动员名单: partially assisted people not yet enrolled, by township and community, page by
 * page; filters; ticking people visited (community workers and districts) with a note; the export
 * as a job whose file opens when ready (H5: the browser downloads it; weapp: openDocument).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import type { MobilizationItem, StaffListsReply } from '@contracts/staffLists';
import { staffLists } from '@/services/staff-lists';
import { staffError } from '../../review-text';

const PAGE = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type ExportJob = StaffListsReply<'exportMobilization'>;

export function useMobilization() {
  // Asked for (undefined: the server's current season) and shown (what the server answered).
  const [year, setYear] = useState<number | undefined>(undefined);
  const [shown, setShown] = useState<number | null>(null);
  const [years, setYears] = useState<number[]>([]);
  const [township, setTownship] = useState('');
  const [community, setCommunity] = useState('');
  const [status, setStatus] = useState<'open' | 'worked' | undefined>(undefined);
  const [items, setItems] = useState<MobilizationItem[]>([]);
  const [total, setTotal] = useState(0);
  const [places, setPlaces] = useState<Array<{ township: string | null; community: string }>>([]);
  const [selected, setSelected] = useState<Record<string, boolean>>({});
  const [note, setNote] = useState('');
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [exported, setExported] = useState<ExportJob | null>(null);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  const load = useCallback(
    async (offset = 0) => {
      setLoading(true);
      setError(null);
      try {
        const r = await staffLists({ action: 'mobilization', benefitYear: year, township: township || undefined, community: community || undefined, status, offset, limit: PAGE });
        setItems((prev) => (offset ? [...prev, ...r.items] : r.items));
        setTotal(r.total);
        setPlaces(r.places);
        setShown(r.benefitYear);
        setYears(r.years);
        if (!offset) setSelected({});
      } catch (err) {
        setError(staffError(err));
      } finally {
        setLoading(false);
      }
    },
    [year, township, community, status],
  );
  useEffect(() => {
    void load(0);
  }, [load]);

  const chosen = items.filter((i) => selected[i.entryId]);
  const toggle = (id: string) => setSelected((s) => ({ ...s, [id]: !s[id] }));

  async function markWorked() {
    if (busy || chosen.length === 0 || !shown) return;
    setBusy(true);
    setActionError(null);
    try {
      await staffLists({ action: 'markWorked', benefitYear: shown, entryIds: chosen.slice(0, 50).map((i) => i.entryId), ...(note.trim() ? { note: note.trim() } : {}) });
      setNote('');
      await load(0);
    } catch (err) {
      setActionError(staffError(err));
    } finally {
      setBusy(false);
    }
  }

  async function exportFile(format: 'xlsx' | 'csv') {
    if (busy || !shown) return;
    setBusy(true);
    setActionError(null);
    setExported(null);
    try {
      let j = await staffLists({ action: 'exportMobilization', benefitYear: shown, township: township || undefined, community: community || undefined, status, format });
      setExported(j);
      while (j.status === 'running' && alive.current) {
        await sleep(1500);
        j = (await staffLists({ action: 'jobStatus', jobId: j.jobId })) as ExportJob;
        setExported(j);
      }
    } catch (err) {
      setActionError(staffError(err));
    } finally {
      setBusy(false);
    }
  }

  /** weapp: the file through downloadFile and openDocument (H5 links to the URL itself). */
  async function openExport() {
    const url = exported?.report?.url;
    if (!url) return;
    try {
      const d = await Taro.downloadFile({ url });
      await Taro.openDocument({ filePath: d.tempFilePath, fileType: exported?.report?.fileName.endsWith('.csv') ? ('csv' as never) : 'xlsx', showMenu: true });
    } catch {
      setActionError('文件打开失败，请稍后重试');
    }
  }

  return { year: shown, years, setYear, township, setTownship, community, setCommunity, status, setStatus, items, total, places, selected, toggle, chosen, note, setNote, loading, error, actionError, busy, reload: load, more: items.length < total, markWorked, exportFile, exported, openExport };
}

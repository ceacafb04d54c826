/**
 * State of 参保进度统计表 (city centre and district offices): the table of a benefit year as
 * staffSeason.progress answers it (this year's enrolled counted live on the server), its export
 * to xlsx, and the city's recount of the counters.
 */
import { useCallback, useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import type { ProgressTable } from '@contracts/staffSeason';
import { staffSeason } from '@/services/staff-season';
import { staffError } from '../../review-text';

export function useProgress(benefitYear?: number) {
  const [table, setTable] = useState<ProgressTable | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [file, setFile] = useState<{ url: string; fileName: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setTable(await staffSeason({ action: 'progress', ...(benefitYear ? { benefitYear } : {}) }));
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, [benefitYear]);
  useEffect(() => void load(), [load]);

  const exportXlsx = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const f = await staffSeason({ action: 'progressExport', ...(table ? { benefitYear: table.benefitYear } : {}) });
      setFile(f);
      if (process.env.TARO_ENV === 'weapp') {
        const d = await Taro.downloadFile({ url: f.url });
        await Taro.openDocument({ filePath: d.tempFilePath, fileType: 'xlsx', showMenu: true });
      }
    } catch (err) {
      setProblem(staffError(err));
    } finally {
      setBusy(false);
    }
  };
  return { table, loading, error, load, file, busy, problem, exportXlsx };
}

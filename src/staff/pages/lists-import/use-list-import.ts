/**
 * State of 资助参保名单导入: the benefit year and (for sheets without a 救助类别 column) the
 * category, choosing and uploading the file (H5: a file input; weapp: a file from a WeChat chat),
 * following the import job to its report, and the caller's earlier imports.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import type { ImportJob } from '@contracts/staffLists';
import { uploadFile, type UploadSource } from '@/services/cloud';
import { staffLists } from '@/services/staff-lists';
import { staffError } from '../../review-text';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function useListImport() {
  // The years come from the server (its clock decides the season), the season's first.
  const [years, setYears] = useState<number[]>([]);
  const [year, setYear] = useState<number | null>(null);
  const [category, setCategory] = useState<string | null>(null);
  const [imports, setImports] = useState<ImportJob[]>([]);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const r = await staffLists({ action: 'listImports' });
      setImports(r.imports);
      setYears(r.years);
      setYear((y) => y ?? r.years[0] ?? null);
    } catch (err) {
      setError(staffError(err));
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function importFile(source: UploadSource, fileName: string) {
    if (busy || !year) return;
    const ext = /\.xlsx$/i.test(fileName) ? 'xlsx' : /\.csv$/i.test(fileName) ? 'csv' : null;
    if (!ext) {
      setUploadError(/\.xls$/i.test(fileName) ? '不支持旧版 Excel（.xls）：请在 Excel 中另存为 .xlsx 或 CSV 后上传' : '请选择 Excel（.xlsx）或 CSV 文件');
      return;
    }
    setBusy(true);
    setUploadError(null);
    setJob(null);
    try {
      const ticket = await staffLists({ action: 'uploadTicket', ext });
      const { fileID } = await uploadFile(source, ticket.cloudPath);
      let j: ImportJob = await staffLists({ action: 'startImport', fileID, fileName: fileName.slice(0, 100), benefitYear: year, ...(category ? { category } : {}) });
      setJob(j);
      while (j.status === 'running' && alive.current) {
        await sleep(1500);
        j = (await staffLists({ action: 'jobStatus', jobId: j.jobId })) as ImportJob;
        setJob(j);
      }
      await load();
    } catch (err) {
      setUploadError(staffError(err));
    } finally {
      setBusy(false);
    }
  }

  function fromInput(input: HTMLInputElement) {
    const f = input.files?.[0];
    input.value = '';
    if (f) void importFile(f, f.name);
  }

  async function fromChat() {
    try {
      const r = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['xlsx', 'csv'] });
      const f = r.tempFiles[0];
      if (f) await importFile(f.path, f.name);
    } catch (e) {
      if (!String((e as { errMsg?: string })?.errMsg ?? '').includes('cancel')) setUploadError('无法打开聊天文件，请稍后重试');
    }
  }

  return { years, year, setYear, category, setCategory, imports, job, loading, error, uploadError, busy, reload: load, fromInput, fromChat, showJob: setJob };
}

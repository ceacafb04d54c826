/**
 * State of 学生名单: choosing and uploading a roster file (H5: a file input; weapp: a file from a
 * WeChat chat, the only way a phone reaches one), following its import job to the report, and the
 * progress per faculty (or per school for a district and the city). Figures come from the server.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import type { RosterProgress } from '@contracts/staffRoster';
import type { StaffRosterReply } from '@contracts/staffRoster';
import { uploadFile, type UploadSource } from '@/services/cloud';
import { staffRoster } from '@/services/staff-roster';
import { staffError } from '../../review-text';

export type RosterJob = StaffRosterReply<'importStatus'>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `year`: the benefit year asked for in the link; without it the server's current one (progress tells which). */
export function useRoster(year: number | undefined, orgId?: string) {
  const [progress, setProgress] = useState<RosterProgress | null>(null);
  const [imports, setImports] = useState<RosterJob[]>([]);
  const [job, setJob] = useState<RosterJob | null>(null);
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
      const [p, l] = await Promise.all([staffRoster({ action: 'progress', ...(year ? { benefitYear: year } : {}), ...(orgId ? { orgId } : {}) }), staffRoster({ action: 'listImports' })]);
      setProgress(p);
      setImports(l.items);
    } catch (err) {
      setError(staffError(err));
    } finally {
      setLoading(false);
    }
  }, [year, orgId]);
  useEffect(() => {
    void load();
  }, [load]);

  /** Uploads the file, starts the import and follows it until it ends. */
  async function importFile(source: UploadSource, fileName: string) {
    if (busy) return;
    const benefitYear = progress?.benefitYear ?? year;
    if (!benefitYear) return;
    const ext = /\.xlsx$/i.test(fileName) ? 'xlsx' : /\.csv$/i.test(fileName) ? 'csv' : null;
    if (!ext) {
      setUploadError('请选择 Excel（.xlsx）或 CSV 文件');
      return;
    }
    setBusy(true);
    setUploadError(null);
    setJob(null);
    try {
      const ticket = await staffRoster({ action: 'uploadTicket', ext });
      const { fileID } = await uploadFile(source, ticket.cloudPath);
      let j = await staffRoster({ action: 'importRoster', benefitYear, fileID, fileName: fileName.slice(0, 100) });
      setJob(j);
      while (j.status === 'running' && alive.current) {
        await sleep(1500);
        j = await staffRoster({ action: 'importStatus', jobId: j.jobId });
        setJob(j);
      }
      await load();
    } catch (err) {
      setUploadError(staffError(err));
    } finally {
      setBusy(false);
    }
  }

  /** H5: the file chosen in the page's <input type="file">. */
  function fromInput(input: HTMLInputElement) {
    const f = input.files?.[0];
    input.value = '';
    if (f) void importFile(f, f.name);
  }

  /** weapp: a roster file from a WeChat chat. */
  async function fromChat() {
    try {
      const r = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['xlsx', 'csv'] });
      const f = r.tempFiles[0];
      if (f) await importFile(f.path, f.name);
    } catch (e) {
      if (!String((e as { errMsg?: string })?.errMsg ?? '').includes('cancel')) setUploadError('无法打开聊天文件，请稍后重试');
    }
  }

  return { progress, imports, job, loading, error, uploadError, busy, reload: load, fromInput, fromChat, showJob: setJob };
}

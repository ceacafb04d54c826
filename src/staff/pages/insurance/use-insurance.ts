/**
 * State of 医保登记同步: the registrations 医保信息平台 refused in the caller's scope (each with a
 * 重新提交 and its note), and for the city centre the batches, the export under way and its
 * progress (polled while it runs). Everything comes from the server.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BatchView, InsuranceJobView, RefusedItem } from '@contracts/staffInsurance';
import { staffInsurance } from '@/services/staff-insurance';
import { reasonProblem, staffError } from '../../review-text';

const POLL_MS = 1500;

export function useInsurance(city: boolean) {
  const [refused, setRefused] = useState<RefusedItem[]>([]);
  const [batches, setBatches] = useState<BatchView[]>([]);
  const [day, setDay] = useState<{ today: string; workingDay: boolean; calendarKnown: boolean } | null>(null);
  const [job, setJob] = useState<InsuranceJobView | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setRefused((await staffInsurance({ action: 'listRefused', limit: 100 })).items);
      if (city) {
        const o = await staffInsurance({ action: 'overview' });
        setBatches(o.batches);
        setDay({ today: o.today, workingDay: o.workingDay, calendarKnown: o.calendarKnown });
        setJob((j) => o.running ?? j);
      }
    } catch (err) {
      setError(staffError(err));
    } finally {
      setLoading(false);
    }
  }, [city]);
  useEffect(() => {
    void load();
  }, [load]);

  // While a job runs, ask for its progress (each call also moves it on).
  useEffect(() => {
    if (!job || job.status !== 'running') return undefined;
    timer.current = setTimeout(async () => {
      try {
        const next = await staffInsurance({ action: 'job', jobId: job.jobId });
        setJob(next);
        if (next.status !== 'running') await load();
      } catch (err) {
        setActionError(staffError(err));
      }
    }, POLL_MS);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [job, load]);

  async function run(what: 'startExport' | 'fetchAnswers') {
    if (busy) return;
    setBusy(true);
    setActionError(null);
    setNotice(null);
    try {
      if (what === 'startExport') setJob(await staffInsurance({ action: 'startExport' }));
      else {
        const r = await staffInsurance({ action: 'fetchAnswers' });
        setNotice(r.jobs.length ? `已获取 ${r.jobs.length} 个批次的回盘` : '医保信息平台暂无新的回盘，请稍后再试');
        if (r.jobs[0]) setJob(r.jobs[0]);
      }
      await load();
    } catch (err) {
      setActionError(staffError(err));
    } finally {
      setBusy(false);
    }
  }

  /** Returns the note's problem (shown beside it) or null when sent. */
  async function resubmit(enrollmentId: string, note: string): Promise<string | null> {
    const problem = reasonProblem(note);
    if (problem) return problem;
    try {
      await staffInsurance({ action: 'resubmit', enrollmentId, note: note.trim() });
      setNotice('已重新提交，将在下一个工作日报送医保信息平台');
      await load();
      return null;
    } catch (err) {
      return staffError(err);
    }
  }

  return { refused, batches, day, job, loading, error, notice, actionError, busy, reload: load, startExport: () => run('startExport'), fetchAnswers: () => run('fetchAnswers'), resubmit };
}

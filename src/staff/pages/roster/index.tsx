/**
 * 学生名单 (subpackage `staff`): a university or school uploads its students for the benefit year
 * (xlsx or csv: 学号、姓名、身份证号码、院系、年级、是否新生) and reads the import's report row by
 * row; below, the progress per faculty — on the list, paid by WeChat, collected by the university,
 * not yet — each faculty opening its list (and, for a university, the batch of fees collected with
 * tuition). A district sees its schools and the city every roster, one line per school first.
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { RosterProgress } from '@contracts/staffRoster';
import PageShell from '@/components/PageShell';
import { Row } from '@/components/resident/QuoteBreakdown';
import { Button } from '@/ui/nutui';
import { useStaffStatus } from '@/services/staff';
import { ROW_PROBLEM_TEXT } from '@/services/staff-roster';
import { beijingTime } from '../../review-text';
import { useRoster, type RosterJob } from './use-roster';
import '../../../styles/resident.scss';

const h5 = process.env.TARO_ENV === 'h5';
const PHASE_TEXT: Record<string, string> = { stage: '读取文件', check: '核对名单', apply: '写入名单', done: '已完成', rejected: '未导入' };

function Report({ job }: { job: RosterJob }) {
  if (job.status === 'running') {
    return (
      <View className='hf-card' role='status' data-testid='roster-job'>
        <Text className='hf-card__title'>正在导入：{PHASE_TEXT[job.phase] ?? job.phase}</Text>
        <Text className='hf-card__text'>
          进度 {job.progress.done}
          {job.progress.total ? ` / ${job.progress.total}` : ''}，可以离开本页，稍后回来查看
        </Text>
      </View>
    );
  }
  if (job.status === 'failed' || !job.report) {
    return (
      <View className='hf-card' role='alert' data-testid='roster-report'>
        <Text className='hf-card__title'>导入失败</Text>
        <Text className='hf-field__error'>{job.error ? `${job.error.message}（错误代码：${job.error.code}）` : '请重新上传'}</Text>
      </View>
    );
  }
  const r = job.report;
  return (
    <View className='hf-card' data-testid='roster-report'>
      <Text className='hf-card__title' data-testid='roster-report-title'>
        {r.imported ? `已导入 ${r.fileName}` : `${r.fileName} 有 ${r.errorCount} 处问题，整份文件未导入`}
      </Text>
      <Row label='数据行' value={String(r.rows)} />
      {r.imported ? (
        <>
          <Row label='新增学生' value={String(r.newEntries)} strong />
          <Row label='此前已在名单中' value={String(r.alreadyListed)} />
          <Row label='院系' value={String(r.faculties)} />
        </>
      ) : (
        <>
          <Text className='hf-muted'>请按下列行号修改文件后重新上传（同一文件重复上传不会重复导入）。</Text>
          {r.errors.map((e, i) => (
            <View key={i} className='hf-explain' data-testid='roster-error'>
              <Text className='hf-explain__line'>
                第{e.line}行 · {ROW_PROBLEM_TEXT[e.code] ?? e.code}：{e.message}
              </Text>
            </View>
          ))}
          {r.errorCount > r.errors.length ? <Text className='hf-muted'>另有 {r.errorCount - r.errors.length} 处问题未列出</Text> : null}
        </>
      )}
    </View>
  );
}

function ProgressTable({ p, onOpen }: { p: RosterProgress; onOpen: (key: string) => void }) {
  const unit = p.by === 'faculty' ? '院系' : '学校';
  return (
    <View className='hf-card' data-testid='roster-progress'>
      <Text className='hf-card__title'>
        {p.benefitYear}年度{p.orgName ? ` · ${p.orgName}` : ''}参保进度
      </Text>
      <Row label='名单人数' value={String(p.total.total)} strong />
      <Row label='已微信缴费' value={String(p.total.paidWechat)} />
      <Row label='学校已代收' value={String(p.total.collected)} />
      {p.total.paidOther ? <Row label='其他方式缴费' value={String(p.total.paidOther)} /> : null}
      <Row label='尚未缴费' value={String(p.total.notYet)} />
      {p.groups.length === 0 ? <Text className='hf-muted'>名单尚未导入</Text> : null}
      {p.groups.map((g) => (
        <View key={g.key} className='hf-choice' role='button' data-testid='roster-group' onClick={() => onOpen(g.key)}>
          <Text className='hf-choice__label'>
            {g.name}（{unit}）
          </Text>
          <Text className='hf-choice__desc'>
            名单 {g.total} · 微信 {g.paidWechat} · 代收 {g.collected}
            {g.paidOther ? ` · 其他 ${g.paidOther}` : ''} · 未缴 {g.notYet}
          </Text>
        </View>
      ))}
    </View>
  );
}

export default function RosterPage() {
  const { params } = useRouter();
  const orgId = params.orgId || undefined;
  const who = useStaffStatus();
  const year = Number(params.year) || undefined;
  const x = useRoster(year, orgId);
  const owner = who.status?.staff && who.status.role === 'university' && !orgId;
  const p = x.progress;
  const open = (key: string) => {
    if (!p) return;
    const url = p.by === 'faculty' ? `/staff/pages/roster-list/index?year=${p.benefitYear}&faculty=${encodeURIComponent(key)}${orgId ? `&orgId=${orgId}` : ''}` : `/staff/pages/roster/index?year=${p.benefitYear}&orgId=${key}`;
    void Taro.navigateTo({ url });
  };
  return (
    <PageShell title='学生名单' subtitle='待参保名单、缴费进度与学校代收' loading={(x.loading && !p) || who.loading} error={x.error ?? who.error} onRetry={() => void x.reload()} backControl>
      {owner ? (
        <View className='hf-card' data-testid='roster-upload'>
          <Text className='hf-card__title'>上传学生名单{p ? `（${p.benefitYear}年度）` : ''}</Text>
          <Text className='hf-card__text'>Excel（.xlsx）或 CSV 文件，第1行为表头：学号、姓名、身份证号码、院系、年级、是否新生。身份证号码请设为文本格式。</Text>
          {x.uploadError ? (
            <View className='hf-field__error' role='alert'>
              <Text>{x.uploadError}</Text>
            </View>
          ) : null}
          {h5 ? (
            <View style={{ position: 'relative' }}>
              <Button type='primary' size='large' block loading={x.busy} disabled={x.busy}>
                {x.busy ? '正在导入…' : '选择文件并导入'}
              </Button>
              {!x.busy ? <input className='hf-upload__file' type='file' accept='.xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' aria-label='选择学生名单文件' data-testid='roster-file' onChange={(e) => x.fromInput(e.target as HTMLInputElement)} /> : null}
            </View>
          ) : (
            <Button type='primary' size='large' block loading={x.busy} disabled={x.busy} onClick={() => void x.fromChat()}>
              从聊天记录选择名单文件
            </Button>
          )}
        </View>
      ) : null}
      {x.job ? <Report job={x.job} /> : null}
      {p ? <ProgressTable p={p} onOpen={open} /> : null}
      {owner && x.imports.length ? (
        <View className='hf-card' data-testid='roster-imports'>
          <Text className='hf-card__title'>导入记录</Text>
          {x.imports.map((j) => (
            <View key={j.jobId} className='hf-choice' role='button' onClick={() => x.showJob(j)}>
              <Text className='hf-choice__label'>{j.report?.fileName ?? '名单文件'}</Text>
              <Text className='hf-choice__desc'>
                {beijingTime(j.createdAt)} · {j.status === 'running' ? '导入中' : j.status === 'failed' ? '导入失败' : j.report?.imported ? `新增 ${j.report.newEntries} 人` : `${j.report?.errorCount ?? 0} 处问题，未导入`}
              </Text>
            </View>
          ))}
        </View>
      ) : null}
    </PageShell>
  );
}

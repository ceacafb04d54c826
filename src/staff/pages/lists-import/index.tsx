/**
 * 资助参保名单导入 (subpackage `staff`): a district office, a department (民政, 乡村振兴/农业农村,
 * 卫健) or the city centre uploads an assisted-people list for a benefit year (xlsx or csv:
 * 姓名、身份证号码、救助类别、所属乡镇/街道、所属村/社区) and reads the report: rows with problems
 * by row number (masked ID numbers only), or what the import did — enrolled with nothing to pay,
 * on the mobilization list, on the reconciliation list — and whether the file came late.
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { ImportJob } from '@contracts/staffLists';
import PageShell from '@/components/PageShell';
import { Row } from '@/components/resident/QuoteBreakdown';
import { Button } from '@/ui/nutui';
import { LIST_CATEGORIES, LIST_KIND_TEXT, ROW_CODE_TEXT } from '@/services/staff-lists';
import { beijingTime } from '../../review-text';
import { useListImport } from './use-list-import';
import '../../../styles/resident.scss';

const h5 = process.env.TARO_ENV === 'h5';
const PHASE_TEXT: Record<string, string> = { parse: '读取并校验文件', apply: '写入名单', done: '已完成', rejected: '未导入' };

function Report({ job }: { job: ImportJob }) {
  if (job.status === 'running') {
    return (
      <View className='hf-card' role='status' data-testid='list-job'>
        <Text className='hf-card__title'>正在导入：{PHASE_TEXT[job.phase] ?? job.phase}</Text>
        <Text className='hf-card__text'>
          进度 {job.progress.done}
          {job.progress.total ? ` / ${job.progress.total}` : ''} 行，可以离开本页，稍后在“导入记录”中查看
        </Text>
      </View>
    );
  }
  if (job.status === 'failed' || !job.report) {
    return (
      <View className='hf-card' role='alert' data-testid='list-report'>
        <Text className='hf-card__title'>导入失败</Text>
        <Text className='hf-field__error'>{job.error ? `${job.error.message}（错误代码：${job.error.code}）` : '请重新上传'}</Text>
      </View>
    );
  }
  const r = job.report;
  const t = r.timing;
  return (
    <View className='hf-card' data-testid='list-report'>
      <Text className='hf-card__title' data-testid='list-report-title'>
        {r.outcome === 'imported' ? `已导入 ${r.fileName}` : `${r.fileName} 有 ${r.errorCount} 处问题，整份文件未导入`}
      </Text>
      <Row label='名单年度' value={`${r.benefitYear}年度`} />
      <Row label='数据行' value={String(r.rows)} />
      <Row label='名单类型' value={LIST_KIND_TEXT[t.kind] ?? t.kind} />
      <Row label='报送截止' value={t.dueBy} />
      {t.late ? (
        <View className='hf-field__error' role='alert' data-testid='list-late'>
          <Text>
            {t.receivedOn} 收到，已过截止日 {t.dueBy}：名单照常导入，并标记为逾期
          </Text>
        </View>
      ) : null}
      {r.outcome === 'imported' && r.results ? (
        <>
          <Row label='新列入名单' value={`${r.results.listed} 人`} strong />
          {r.results.alreadyListed ? <Row label='此前已在名单中' value={`${r.results.alreadyListed} 人`} /> : null}
          <Row label='全额资助，已自动参保' value={`${r.results.autoEnrolled} 人`} />
          <Row label='列入动员名单' value={`${r.results.mobilization} 人`} />
          <Row label='已按全额缴费，待核对差额' value={`${r.results.reconciliation} 人`} />
          {r.results.awaitingPayment ? <Row label='有待支付订单（未改动）' value={`${r.results.awaitingPayment} 人`} /> : null}
          {r.results.unresolvedCommunities ? <Text className='hf-muted'>{r.results.unresolvedCommunities} 行的村/社区尚未在系统中建立，已按表中名称保存。</Text> : null}
        </>
      ) : (
        <>
          <Text className='hf-muted'>请按下列行号修改文件后重新上传（身份证号码只显示前3位和后4位）。同一文件重复上传不会重复导入。</Text>
          {r.fileErrors.map((e, i) => (
            <View key={`f${i}`} className='hf-explain' data-testid='list-file-error'>
              <Text className='hf-explain__line'>{e}</Text>
            </View>
          ))}
          {r.errors.map((e, i) => (
            <View key={i} className='hf-explain' data-testid='list-error'>
              <Text className='hf-explain__line'>
                第{e.row}行{e.idMasked ? `（${e.idMasked}）` : ''} · {ROW_CODE_TEXT[e.code] ?? e.code}：{e.message}
              </Text>
            </View>
          ))}
          {r.errorCount > r.errors.length + r.fileErrors.length ? <Text className='hf-muted'>另有 {r.errorCount - r.errors.length - r.fileErrors.length} 处问题未列出</Text> : null}
        </>
      )}
    </View>
  );
}

export default function ListImportPage() {
  const x = useListImport();
  return (
    <PageShell title='资助参保名单导入' subtitle='特困、低保、返贫致贫等资助参保人员名单' loading={x.loading && !x.imports.length} error={x.error} onRetry={() => void x.reload()} backControl>
      <View className='hf-card' data-testid='list-upload'>
        <Text className='hf-card__title'>1. 名单年度</Text>
        <View className='hf-choices'>
          {x.years.map((y) => (
            <View key={y} className={`hf-choice${x.year === y ? ' hf-choice--on' : ''}`} role='radio' aria-checked={x.year === y} data-testid={`list-year-${y}`} onClick={() => x.setYear(y)}>
              <Text className='hf-choice__label'>{y}年度</Text>
            </View>
          ))}
        </View>
        <Text className='hf-card__title'>2. 救助类别</Text>
        <Text className='hf-card__text'>表中有“救助类别”列时按每行的类别导入；整份名单是同一类别且没有该列时，请在这里选择。</Text>
        <View className='hf-choices'>
          {[null, ...LIST_CATEGORIES].map((c) => (
            <View key={c ?? 'column'} className={`hf-choice${x.category === c ? ' hf-choice--on' : ''}`} role='radio' aria-checked={x.category === c} onClick={() => x.setCategory(c)}>
              <Text className='hf-choice__label'>{c ?? '按表中“救助类别”列'}</Text>
            </View>
          ))}
        </View>
        <Text className='hf-card__title'>3. 选择文件</Text>
        <Text className='hf-card__text'>Excel（.xlsx）或 CSV 文件，第1行为表头：姓名、身份证号码、救助类别、所属乡镇/街道、所属村/社区。身份证号码请设为文本格式。整份文件校验通过才会导入。</Text>
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
            {!x.busy ? <input className='hf-upload__file' type='file' accept='.xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' aria-label='选择名单文件' data-testid='list-file' onChange={(e) => x.fromInput(e.target as HTMLInputElement)} /> : null}
          </View>
        ) : (
          <Button type='primary' size='large' block loading={x.busy} disabled={x.busy} onClick={() => void x.fromChat()}>
            从聊天记录选择名单文件
          </Button>
        )}
      </View>
      {x.job ? <Report job={x.job} /> : null}
      <View className='hf-actions'>
        <Button size='large' block fill='outline' onClick={() => void Taro.navigateTo({ url: '/staff/pages/lists-mobilization/index' })}>
          动员名单
        </Button>
        <Button size='large' block fill='outline' onClick={() => void Taro.navigateTo({ url: '/staff/pages/lists-reconciliation/index' })}>
          多缴核对名单
        </Button>
      </View>
      {x.imports.length ? (
        <View className='hf-card' data-testid='list-imports'>
          <Text className='hf-card__title'>导入记录</Text>
          {x.imports.map((j) => (
            <View key={j.jobId} className='hf-choice' role='button' onClick={() => x.showJob(j)}>
              <Text className='hf-choice__label'>{j.report?.fileName ?? '名单文件'}</Text>
              <Text className='hf-choice__desc'>
                {beijingTime(j.createdAt)} · {j.status === 'running' ? '导入中' : j.status === 'failed' ? '导入失败' : j.report?.outcome === 'imported' ? `已导入 ${j.report.rows} 行${j.report.timing.late ? '（逾期）' : ''}` : `${j.report?.errorCount ?? 0} 处问题，未导入`}
              </Text>
            </View>
          ))}
        </View>
      ) : null}
    </PageShell>
  );
}

/**
 * 动员名单 (subpackage `staff`): partially assisted people on a department's or district's list who
 * have not enrolled — each with the small amount they pay — for their township and community to
 * visit. Community workers see their own community; districts choose a township or community;
 * departments see the people of the lists they sent; the city all. Visits are recorded
 * (标记已走访, with a note); the list exports as Excel or CSV for door-to-door work.
 */
import { Input, Text, View } from '@tarojs/components';
import PageShell from '@/components/PageShell';
import { Button } from '@/ui/nutui';
import { useStaffStatus } from '@/services/staff';
import { formatYuan } from '@/services/format';
import { useMobilization } from './use-mobilization';
import '../../../styles/resident.scss';

const h5 = process.env.TARO_ENV === 'h5';

export default function MobilizationPage() {
  const who = useStaffStatus();
  const m = useMobilization();
  const role = who.status?.staff ? who.status.role : null;
  const works = role === 'community' || role === 'district';
  const townships = [...new Set(m.places.map((p) => p.township ?? ''))].filter(Boolean);
  const communities = m.places.filter((p) => !m.township || p.township === m.township).map((p) => p.community);
  return (
    <PageShell title='动员名单' subtitle='部分资助、尚未参保的人员，请上门告知个人应缴金额' loading={(m.loading && !m.items.length) || who.loading} error={m.error ?? who.error} onRetry={() => void m.reload(0)} backControl>
      <View className='hf-card' data-testid='mobilization-filters'>
        <View className='hf-choices'>
          {m.years.map((y) => (
            <View key={y} className={`hf-choice${m.year === y ? ' hf-choice--on' : ''}`} role='radio' aria-checked={m.year === y} onClick={() => m.setYear(y)}>
              <Text className='hf-choice__label'>{y}年度</Text>
            </View>
          ))}
        </View>
        {role === 'district' && townships.length ? (
          <View className='hf-choices'>
            {['', ...townships].map((t) => (
              <View key={t || 'all'} className={`hf-choice${m.township === t ? ' hf-choice--on' : ''}`} role='radio' aria-checked={m.township === t} onClick={() => (m.setTownship(t), m.setCommunity(''))}>
                <Text className='hf-choice__label'>{t || '全部乡镇/街道'}</Text>
              </View>
            ))}
          </View>
        ) : null}
        {role === 'district' && m.township && communities.length ? (
          <View className='hf-choices'>
            {['', ...communities].map((c) => (
              <View key={c || 'all'} className={`hf-choice${m.community === c ? ' hf-choice--on' : ''}`} role='radio' aria-checked={m.community === c} onClick={() => m.setCommunity(c)}>
                <Text className='hf-choice__label'>{c || '全部村/社区'}</Text>
              </View>
            ))}
          </View>
        ) : null}
        {role === 'city' || role === 'department' ? (
          <View className='hf-field__box'>
            <Input name='township' value={m.township} placeholder='乡镇/街道（可不填）' onInput={(e) => m.setTownship(e.detail.value.trim())} />
          </View>
        ) : null}
        <View className='hf-choices'>
          {([undefined, 'open', 'worked'] as const).map((s) => (
            <View key={s ?? 'all'} className={`hf-choice${m.status === s ? ' hf-choice--on' : ''}`} role='radio' aria-checked={m.status === s} onClick={() => m.setStatus(s)}>
              <Text className='hf-choice__label'>{s === 'open' ? '未走访' : s === 'worked' ? '已走访' : '全部'}</Text>
            </View>
          ))}
        </View>
        <Text className='hf-card__text' data-testid='mobilization-total'>
          共 {m.total} 人
        </Text>
        <View className='hf-actions'>
          <Button size='large' block fill='outline' disabled={m.busy || m.total === 0} onClick={() => void m.exportFile('xlsx')}>
            导出 Excel
          </Button>
          <Button size='large' block fill='outline' disabled={m.busy || m.total === 0} onClick={() => void m.exportFile('csv')}>
            导出 CSV
          </Button>
        </View>
        {m.exported ? (
          <View data-testid='mobilization-export'>
            {m.exported.status === 'running' ? (
              <Text className='hf-card__text'>正在生成文件：已整理 {m.exported.progress.done} 人</Text>
            ) : m.exported.status === 'done' && m.exported.report ? (
              h5 ? (
                <a className='hf-link' href={m.exported.report.url} download={m.exported.report.fileName} data-testid='mobilization-download'>
                  下载 {m.exported.report.fileName}（{m.exported.report.rows} 人，10 分钟内有效）
                </a>
              ) : (
                <Button type='primary' size='large' block onClick={() => void m.openExport()}>
                  打开 {m.exported.report.fileName}
                </Button>
              )
            ) : (
              <Text className='hf-field__error'>{m.exported.error?.message ?? '导出失败，请重试'}</Text>
            )}
          </View>
        ) : null}
      </View>
      {m.actionError ? (
        <View className='hf-field__error' role='alert'>
          <Text>{m.actionError}</Text>
        </View>
      ) : null}
      {m.items.length === 0 && !m.loading ? (
        <View className='hf-card'>
          <Text className='hf-card__text'>没有需要动员的人员</Text>
        </View>
      ) : null}
      {m.items.map((i) => (
        <View
          key={i.entryId}
          className={`hf-choice${m.selected[i.entryId] ? ' hf-choice--on' : ''}`}
          role={works ? 'checkbox' : undefined}
          aria-checked={works ? !!m.selected[i.entryId] : undefined}
          data-testid='mobilization-item'
          onClick={works ? () => m.toggle(i.entryId) : undefined}
        >
          <Text className='hf-choice__label'>
            {works ? (m.selected[i.entryId] ? '☑ ' : '☐ ') : ''}
            {i.name} {i.idMasked}
          </Text>
          <Text className='hf-choice__desc'>
            {i.category}（资助{i.percent}%）· 个人应缴 ¥{formatYuan(i.payableFen)} · {i.township ?? ''}
            {i.community ?? ''} · {i.paid ? '已缴费' : '未缴费'} · {i.status === 'worked' ? `已走访${i.note ? `：${i.note}` : ''}` : '未走访'}
          </Text>
        </View>
      ))}
      {m.more ? (
        <Button size='large' block fill='outline' disabled={m.loading} onClick={() => void m.reload(m.items.length)}>
          加载更多
        </Button>
      ) : null}
      {works && m.chosen.length ? (
        <View className='hf-card' data-testid='mobilization-mark'>
          <Text className='hf-card__title'>已选 {m.chosen.length} 人</Text>
          <View className='hf-field__box'>
            <Input name='note' value={m.note} maxlength={100} placeholder='走访情况（可不填），例如：已上门告知' onInput={(e) => m.setNote(e.detail.value)} />
          </View>
          <Button type='primary' size='large' block loading={m.busy} disabled={m.busy} onClick={() => void m.markWorked()}>
            标记已走访
          </Button>
        </View>
      ) : null}
    </PageShell>
  );
}

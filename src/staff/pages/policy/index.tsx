/**
 * 参保政策管理 (subpackage `staff`; city centre only): a new benefit year's policy entered as a
 * table without a release — start from the latest earlier year (dates moved on), adjust the
 * money, windows, assistance percentages and screening dates, preview sample people beside last
 * year, save a draft, publish from a date. A version a payment used is corrected by a new version
 * with a reason. The server checks the table with the engine's own schema.
 */
import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { PolicyPreview, PolicyVersionSummary } from '@contracts/staffPolicy';
import PageShell from '@/components/PageShell';
import { Field } from '@/components/resident/Field';
import { Button, Input, Switch } from '@/ui/nutui';
import { formatYuan } from '@/services/format';
import { FORM_FIELDS, fieldText, usePolicy, withAssistance, withField, type FormKey, type Table } from './use-policy';
import '../../../styles/resident.scss';

const STATUS_TEXT: Record<PolicyVersionSummary['status'], string> = { draft: '草稿', published: '已发布' };

function VersionRow({ v, onCorrect, onPublish, busy }: { v: PolicyVersionSummary; onCorrect: () => void; onPublish: (date: string) => void; busy: boolean }) {
  const [date, setDate] = useState('');
  return (
    <View className='hf-card' data-testid='policy-version' data-id={v.id}>
      <Text className='hf-card__title'>
        {v.benefitYear}年度 第{v.version}版 · {STATUS_TEXT[v.status]}
        {v.inEffect ? ' · 正在执行' : ''}
        {v.locked ? ' · 已有缴费，不能修改' : ''}
      </Text>
      <Text className='hf-card__text'>{v.title}</Text>
      <Text className='hf-card__text'>
        个人缴费 {formatYuan(v.individualContributionFen)} 元 · 缴费期 {v.window.start} 至 {v.window.end}
      </Text>
      {v.effectiveFrom ? <Text className='hf-card__text'>生效日期：{v.effectiveFrom}</Text> : null}
      {v.reason ? <Text className='hf-muted'>原因：{v.reason}</Text> : null}
      {v.status === 'draft' ? (
        <Field label='生效日期（当天 0 点起居民可见）'>
          <View className='hf-field__box'>
            <Input name={`effectiveFrom-${v.id}`} value={date} placeholder='例如 2029-08-25' maxLength={10} onChange={(s: string) => setDate(s)} />
          </View>
        </Field>
      ) : null}
      <View className='hf-actions'>
        {v.status === 'draft' ? (
          <Button type='primary' size='large' block disabled={busy} onClick={() => onPublish(date)}>
            发布
          </Button>
        ) : null}
        <Button size='large' block fill='outline' disabled={busy} onClick={onCorrect}>
          {v.status === 'draft' ? '继续编辑' : '以此为基础更正'}
        </Button>
      </View>
    </View>
  );
}

const money = (fen: number | null) => (fen === null ? '—' : `${formatYuan(fen)}元`);
const CHANGED_TEXT: Record<string, string> = { eligible: '参保资格', payableFen: '应缴金额', individualContributionFen: '缴费标准', assistancePercent: '资助比例', windowOpen: '缴费期', reasons: '不能参保的原因' };

function PreviewView({ p }: { p: PolicyPreview }) {
  return (
    <View className='hf-card' data-testid='policy-preview'>
      <Text className='hf-card__title'>
        试算：{p.benefitYear}年度{p.comparedWith ? ` 与 ${p.comparedWith}年度对比` : ''}
      </Text>
      {p.fields.length ? (
        <View data-testid='policy-preview-fields'>
          <Text className='hf-card__text'>与上一年度不同的项目：</Text>
          {p.fields.map((f) => (
            <View key={f.field} className='hf-explain' data-testid='policy-diff' data-field={f.field}>
              <Text className='hf-explain__title'>{f.label}</Text>
              <Text className='hf-explain__line'>
                {f.last} → {f.next}
              </Text>
            </View>
          ))}
        </View>
      ) : (
        <Text className='hf-card__text'>与上一年度相比，主要项目没有变化</Text>
      )}
      <Text className='hf-card__text'>示例人员（在各自缴费期首日试算）：</Text>
      {p.rows.map((r) => (
        <View key={r.label} className='hf-explain' data-testid='policy-sample' data-changed={r.changed.length ? 'yes' : 'no'}>
          <Text className='hf-explain__title'>{r.label}</Text>
          <Text className='hf-explain__line'>
            本年度：{r.next.eligible ? `应缴 ${money(r.next.payableFen)}` : '不能参保'}
            {r.next.assistancePercent ? `（资助${r.next.assistancePercent}%）` : ''}
          </Text>
          {r.last ? (
            <Text className='hf-explain__line'>
              上一年度：{r.last.eligible ? `应缴 ${money(r.last.payableFen)}` : '不能参保'}
              {r.last.assistancePercent ? `（资助${r.last.assistancePercent}%）` : ''}
            </Text>
          ) : null}
          {r.changed.length ? <Text className='hf-field__error'>变化：{r.changed.map((c) => CHANGED_TEXT[c] ?? c).join('、')}</Text> : null}
        </View>
      ))}
    </View>
  );
}

function TableForm({ p }: { p: ReturnType<typeof usePolicy> }) {
  const t = p.table as Table;
  const [texts, setTexts] = useState<Record<string, string>>({});
  const text = (key: FormKey) => texts[key] ?? fieldText(t, key);
  const rules = (t.assistance?.rules ?? {}) as Record<string, { percent: number }>;
  const hasPublished = p.items.some((v) => v.benefitYear === t.benefitYear && v.status === 'published');
  return (
    <View className='hf-card' data-testid='policy-form'>
      <Text className='hf-card__title'>
        {t.benefitYear}年度政策表（方案年度 {t.scheme}）
      </Text>
      {FORM_FIELDS.map((f) => (
        <Field key={f.key} label={f.label}>
          <View className='hf-field__box'>
            <Input
              name={f.key}
              value={text(f.key)}
              maxLength={f.kind === 'text' ? 120 : 12}
              onChange={(s: string) => setTexts((m) => ({ ...m, [f.key]: s }))}
              onBlur={() => p.edit(withField(t, f.key, text(f.key)))}
            />
          </View>
        </Field>
      ))}
      <Field label='新生儿可参加当年度及下一年度'>
        <Text className='hf-card__text' data-testid='policy-newborn'>{t.newbornRule ? '有（沿用模板中的新生儿规则）' : '无'}</Text>
      </Field>
      <Text className='hf-card__text'>资助参保比例（%，留空表示本年度不资助该类人员）</Text>
      {p.categories.map((c) => (
        <Field key={c.code} label={c.label}>
          <View className='hf-field__box'>
            <Input
              name={`assist-${c.code}`}
              value={texts[`a:${c.code}`] ?? (rules[c.code] ? String(rules[c.code].percent) : '')}
              maxLength={3}
              onChange={(s: string) => setTexts((m) => ({ ...m, [`a:${c.code}`]: s }))}
              onBlur={() => p.edit(withAssistance(t, c.code, c.label, texts[`a:${c.code}`] ?? (rules[c.code] ? String(rules[c.code].percent) : '')))}
            />
          </View>
        </Field>
      ))}
      <Field label='虚构年度（仅供测试，名称加注「虚构年度，仅供测试」）'>
        <Switch checked={p.fictional} onChange={(v: boolean) => p.setFictional(v)} />
      </Field>
      {hasPublished ? (
        <Field label='更正原因（该年度已有发布的版本）'>
          <View className='hf-field__box'>
            <Input name='reason' value={p.reason} placeholder='例如 按省里通知调整个人缴费标准' maxLength={100} onChange={(s: string) => p.setReason(s)} />
          </View>
        </Field>
      ) : null}
      <View className='hf-actions'>
        <Button type='primary' size='large' block disabled={p.busy} onClick={() => void p.doPreview()}>
          试算并与上一年度对比
        </Button>
        <Button size='large' block fill='outline' disabled={p.busy} onClick={() => void p.save()}>
          保存草稿
        </Button>
      </View>
    </View>
  );
}

export default function StaffPolicyPage() {
  const p = usePolicy();
  const [year, setYear] = useState('');
  return (
    <PageShell title='参保政策管理' subtitle='新年度政策以数据表录入，试算核对后按日期发布；发布前居民看到“尚未公布”' loading={p.loading && !p.items.length} error={p.error} onRetry={p.load}>
      {p.message ? (
        <View className='hf-card' data-testid='policy-message'>
          <Text className='hf-card__text'>{p.message}</Text>
        </View>
      ) : null}
      {p.problem ? (
        <View className='hf-field__error' role='alert' data-testid='policy-problem'>
          <Text>{p.problem}</Text>
        </View>
      ) : null}
      <View className='hf-card' data-testid='policy-new'>
        <Text className='hf-card__title'>录入新年度政策</Text>
        <Text className='hf-card__text'>2022、2024 年度政策为系统内置，不能在此修改。</Text>
        <Field label='待遇年度'>
          <View className='hf-field__box'>
            <Input name='benefitYear' value={year} placeholder='例如 2030' maxLength={4} onChange={(s: string) => setYear(s)} />
          </View>
        </Field>
        <View className='hf-actions'>
          <Button type='primary' size='large' block disabled={p.busy} onClick={() => void p.startYear(year)}>
            以上一年度为模板开始录入
          </Button>
        </View>
      </View>
      {p.table ? <TableForm key={`${p.table.benefitYear}-${p.saved?.id ?? ''}`} p={p} /> : null}
      {p.preview ? <PreviewView p={p.preview} /> : null}
      <Text className='hf-section-title'>已录入的版本</Text>
      {!p.loading && !p.items.length ? <Text className='hf-muted'>还没有录入新年度政策</Text> : null}
      {p.items.map((v) => (
        <VersionRow key={v.id} v={v} busy={p.busy} onCorrect={() => void p.startCorrection(v.id)} onPublish={(d) => void p.publish(v.id, d)} />
      ))}
    </PageShell>
  );
}

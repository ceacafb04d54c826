/**
 * The step bar of the enrollment flow: 选择参保人 → 证件材料 → 核对 → 支付.
 * `current` is the index of the step on screen; steps before it are done, except those listed
 * in `skipped` (e.g. no document needed for a renewal or a newborn), shown as 无需.
 */
import { Text, View } from '@tarojs/components';
import type { HomePerson } from '@contracts/resident';
import '../../styles/resident.scss';

export const FLOW_STEPS = ['选择参保人', '证件材料', '核对', '支付'] as const;

export type StepState = 'done' | 'current' | 'todo' | 'skipped';

export function stepStates(current: number, count: number, skipped: number[] = []): StepState[] {
  return Array.from({ length: count }, (_, i) => {
    if (i === current) return 'current';
    if (skipped.includes(i)) return 'skipped';
    return i < current ? 'done' : 'todo';
  });
}

/**
 * 证件材料 was 无需 for these people: none of them has a document on file (the server asks for a
 * photo before it takes an order only where one is needed, so at 核对 and 支付 "no document"
 * means "none was needed"). Unknown people: no answer (null).
 */
export function documentsSkipped(persons: Pick<HomePerson, 'personId' | 'documents'>[], ids: string[]): boolean | null {
  const chosen = ids.map((id) => persons.find((p) => p.personId === id));
  if (!chosen.length || chosen.some((p) => !p)) return null;
  return chosen.every((p) => p!.documents.length === 0);
}

const MARK: Record<StepState, (i: number) => string> = {
  done: () => '✓',
  current: (i) => String(i + 1),
  todo: (i) => String(i + 1),
  skipped: () => '–',
};

export default function StepBar({ current, skipped = [], steps = FLOW_STEPS }: { current: number; skipped?: number[]; steps?: readonly string[] }) {
  const states = stepStates(current, steps.length, skipped);
  return (
    <View className='hf-steps' data-testid='step-bar' aria-label={`第${current + 1}步，共${steps.length}步：${steps[current]}`}>
      {steps.map((label, i) => (
        <View key={label} className={`hf-steps__item hf-steps__item--${states[i]}`} data-state={states[i]} aria-current={states[i] === 'current' ? 'step' : undefined}>
          <View className='hf-steps__dot'>
            <Text>{MARK[states[i]](i)}</Text>
          </View>
          <Text className='hf-steps__label'>{label}</Text>
          {states[i] === 'skipped' ? <Text className='hf-steps__note'>无需</Text> : null}
        </View>
      ))}
    </View>
  );
}

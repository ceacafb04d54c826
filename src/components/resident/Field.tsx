/**
 * Form building blocks with large touch targets: a labelled field with its error next to it,
 * a row of big choice buttons, and a yes/no question.
 */
import { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import '../../styles/resident.scss';

export function Field({ label, error, hint, children, testId }: { label: string; error?: string; hint?: string; children: ReactNode; testId?: string }) {
  return (
    <View className={`hf-field${error ? ' hf-field--error' : ''}`} data-testid={testId}>
      <Text className='hf-field__label'>{label}</Text>
      {children}
      {error ? (
        <View className='hf-field__error' role='alert'>
          <Text>{error}</Text>
        </View>
      ) : hint ? (
        <Text className='hf-field__hint'>{hint}</Text>
      ) : null}
    </View>
  );
}

export interface ChoiceOption<V extends string> {
  value: V;
  label: string;
  desc?: string;
}

export function Choices<V extends string>({
  options,
  value,
  onChange,
  name,
  columns = 2,
}: {
  options: ChoiceOption<V>[];
  value: V | '';
  onChange: (v: V) => void;
  name: string;
  columns?: number;
}) {
  return (
    <View className={`hf-choices hf-choices--${columns}`} role='radiogroup' data-testid={`choice-${name}`}>
      {options.map((o) => (
        <View
          key={o.value}
          className={`hf-choice${value === o.value ? ' hf-choice--on' : ''}`}
          role='radio'
          aria-checked={value === o.value}
          data-value={o.value}
          onClick={() => onChange(o.value)}
        >
          <Text className='hf-choice__label'>{o.label}</Text>
          {o.desc ? <Text className='hf-choice__desc'>{o.desc}</Text> : null}
        </View>
      ))}
    </View>
  );
}

/** A question answered 是 / 否; undefined = not answered yet. */
export function YesNo({ question, value, onChange, name, hint }: { question: string; value: boolean | undefined; onChange: (v: boolean) => void; name: string; hint?: string }) {
  return (
    <View className='hf-question' data-testid={`question-${name}`}>
      <Text className='hf-question__text'>{question}</Text>
      {hint ? <Text className='hf-field__hint'>{hint}</Text> : null}
      <View className='hf-choices hf-choices--2' role='radiogroup'>
        {[true, false].map((v) => (
          <View key={String(v)} className={`hf-choice${value === v ? ' hf-choice--on' : ''}`} role='radio' aria-checked={value === v} onClick={() => onChange(v)}>
            <Text className='hf-choice__label'>{v ? '是' : '否'}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}

/** A large tick box (consent, guardian confirmation). */
export function Tick({ checked, onChange, children, testId, error }: { checked: boolean; onChange: (v: boolean) => void; children: ReactNode; testId?: string; error?: string }) {
  return (
    <View className={`hf-field${error ? ' hf-field--error' : ''}`}>
      <View className={`hf-tick${checked ? ' hf-tick--on' : ''}`} role='checkbox' aria-checked={checked} data-testid={testId} onClick={() => onChange(!checked)}>
        <View className='hf-tick__box'>
          <Text>{checked ? '✓' : ''}</Text>
        </View>
        <View className='hf-tick__text'>{children}</View>
      </View>
      {error ? (
        <View className='hf-field__error' role='alert'>
          <Text>{error}</Text>
        </View>
      ) : null}
    </View>
  );
}

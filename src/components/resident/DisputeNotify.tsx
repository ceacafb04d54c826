/**
 * While a claim waits for staff (身份争议): the resident may ask to be told the result by a
 * subscribe message (template dispute_result). WeChat asks for it only from a tap, so it is a
 * button here, where the wait is explained.
 */
import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { Button } from '@/ui/nutui';
import { userMessage } from '@/services/errors';
import { subscribeReminders } from '@/services/reminders';

export default function DisputeNotify() {
  const [state, setState] = useState<{ busy?: boolean; done?: boolean; error?: string }>({});
  const ask = async () => {
    setState({ busy: true });
    try {
      await subscribeReminders(['dispute_result']);
      setState({ done: true });
    } catch (e) {
      setState({ error: userMessage(e) });
    }
  };
  if (state.done) return <Text className='hf-card__text' data-testid='dispute-notify-done'>已订阅，核实结果出来后会通知您</Text>;
  return (
    <View className='hf-actions'>
      <Button size='large' block fill='outline' loading={!!state.busy} disabled={!!state.busy} onClick={() => void ask()}>
        核实结果出来后通知我
      </Button>
      {state.error ? (
        <View className='hf-field__error' role='alert'>
          <Text>{state.error}</Text>
        </View>
      ) : null}
    </View>
  );
}

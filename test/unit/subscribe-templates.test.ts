/**
 * Subscribe-message values fit their keys' types (WeChat refuses a message whose value does not:
 * a date in a time key, a thing over 20 characters), and the configuration is the one place the
 * ids and keys come from.
 */
import config from '../../config/subscribe-messages.json';
import { formatValue, miniprogramState, subscribeMessage, templateId, TemplateValueError } from '../../cloudfunctions/src/domain/reminders/templates';

describe('formatValue', () => {
  test('thing: at most 20 characters (longer text is shortened, never refused by WeChat)', () => {
    expect(formatValue('thing1', '2024年度居民医保开始缴费')).toBe('2024年度居民医保开始缴费');
    const long = formatValue('thing4', '王秀兰、张建国、张小明、李四 2024年度居民医保');
    expect([...long]).toHaveLength(20);
    expect(long.endsWith('…')).toBe(true);
    expect(() => formatValue('thing1', '  ')).toThrow(TemplateValueError);
  });

  test('time: a date with the time of day; a bare date is refused', () => {
    expect(formatValue('time2', { at: new Date('2023-12-31T23:59:59+08:00') })).toBe('2023年12月31日 23:59');
    expect(formatValue('time3', { at: new Date('2023-10-08T02:05:00Z') })).toBe('2023年10月8日 10:05');
    expect(() => formatValue('time2', { date: '2023-12-31' })).toThrow(TemplateValueError);
    expect(() => formatValue('time2', '2023年12月31日')).toThrow(TemplateValueError);
  });

  test('date: a calendar date (Shanghai)', () => {
    expect(formatValue('date2', { date: '2023-09-01' })).toBe('2023年9月1日');
    expect(formatValue('date3', { at: new Date('2023-12-31T16:30:00Z') })).toBe('2024年1月1日');
    expect(() => formatValue('date2', { date: '2023/09/01' })).toThrow(TemplateValueError);
    expect(() => formatValue('date2', 'tomorrow')).toThrow(TemplateValueError);
  });

  test('amount from fen; phrase ≤ 5 Chinese characters; character_string ≤ 32', () => {
    expect(formatValue('amount2', { fen: 38000 })).toBe('380.00元');
    expect(formatValue('amount2', { fen: 3800 })).toBe('38.00元');
    expect(() => formatValue('amount2', { fen: 12.5 })).toThrow(TemplateValueError);
    expect(() => formatValue('amount2', '380元')).toThrow(TemplateValueError);
    expect(formatValue('phrase3', '尚未缴费')).toBe('尚未缴费');
    expect(() => formatValue('phrase3', '尚未缴费请尽快')).toThrow(TemplateValueError);
    expect(() => formatValue('phrase3', '未缴1')).toThrow(TemplateValueError);
    expect(formatValue('character_string5', 'HF20231008abc')).toBe('HF20231008abc');
    expect(() => formatValue('character_string5', 'x'.repeat(33))).toThrow(TemplateValueError);
    expect(() => formatValue('character_string5', '订单号')).toThrow(TemplateValueError);
    expect(() => formatValue('weird1', 'x')).toThrow(TemplateValueError);
  });
});

describe('messages from the configuration', () => {
  test('ids, keys and the version come from config/subscribe-messages.json', () => {
    expect(templateId('window_closing')).toBe(config.templates.window_closing.id);
    expect(miniprogramState()).toBe(config.miniprogramState);
    const m = subscribeMessage('window_closing', 'oUser', 'pages/index/index', {
      title: '2024年度居民医保缴费即将截止',
      deadline: { at: new Date('2023-12-31T23:59:59+08:00') },
      status: '尚未缴费',
      note: '还剩8天，请尽快为家人缴费',
    });
    const keys = config.templates.window_closing.fields;
    expect(m).toEqual({
      touser: 'oUser',
      templateId: config.templates.window_closing.id,
      page: 'pages/index/index',
      miniprogramState: config.miniprogramState,
      lang: 'zh_CN',
      data: {
        [keys.title]: { value: '2024年度居民医保缴费即将截止' },
        [keys.deadline]: { value: '2023年12月31日 23:59' },
        [keys.status]: { value: '尚未缴费' },
        [keys.note]: { value: '还剩8天，请尽快为家人缴费' },
      },
    });
  });

  test('a value that cannot fit its key stops the message before it is sent', () => {
    expect(() =>
      subscribeMessage('window_closing', 'oUser', 'pages/index/index', { title: '截止', deadline: { date: '2023-12-31' }, status: '尚未缴费', note: '请缴费' }),
    ).toThrow(TemplateValueError);
  });

  test('MINIPROGRAM_STATE (bundled by build.ts for a trial build) picks the version', () => {
    process.env.MINIPROGRAM_STATE = 'trial';
    try {
      expect(miniprogramState()).toBe('trial');
    } finally {
      delete process.env.MINIPROGRAM_STATE;
    }
  });
});

/**
 * Subscribe-message templates: ids, data keys and the version a message opens, from
 * `config/subscribe-messages.json` (the one place; the client reads the same file through a
 * build define) — and the typed formatter that makes every value fit its key's type, so WeChat
 * does not refuse a message (errcode 47003 "argument invalid") the day it is sent.
 *
 * Key types and limits as WeChat documents them for subscribeMessage.send:
 *   thing ≤ 20 characters; phrase ≤ 5 Chinese characters; name ≤ 10 characters;
 *   character_string ≤ 32 letters, digits and symbols; number ≤ 32 digits (a decimal point allowed);
 *   amount a currency figure (up to 10 digits, optional decimals, may end in 元);
 *   date a calendar date (年月日, may carry a 24-hour time); time a 24-hour time (may carry a date).
 */
import * as z from 'zod';
import config from '../../../../config/subscribe-messages.json';
import type { SubscribeMessage } from '../../platform/ports';
import { lazySchema } from '../../policy/lazy-schema';

export type Template = 'payment_result' | 'window_open' | 'window_closing' | 'dispute_result' | 'document_result';

const KEY_TYPES = ['thing', 'number', 'letter', 'symbol', 'character_string', 'time', 'date', 'amount', 'phone_number', 'car_number', 'name', 'phrase'] as const;
export type KeyType = (typeof KEY_TYPES)[number];
const KEY = new RegExp(`^(${KEY_TYPES.join('|')})(\\d{1,2})$`);

/** The fields each template's messages fill, and the key types each may be mapped to. */
const FIELDS = {
  payment_result: { item: ['thing'], amount: ['amount'], paidAt: ['time', 'date'], note: ['thing'] },
  window_open: { title: ['thing'], start: ['date', 'time'], end: ['date', 'time'], note: ['thing'] },
  window_closing: { title: ['thing'], deadline: ['time', 'date'], status: ['phrase'], note: ['thing'] },
  // Staff decided a disputed claim: the claimant who lost is told (issue 11).
  dispute_result: { item: ['thing'], result: ['phrase'], note: ['thing'], decidedAt: ['time', 'date'] },
  // Staff sent an uploaded document back: the uploader is told (issue 10).
  document_result: { item: ['thing'], result: ['phrase'], note: ['thing'], decidedAt: ['time', 'date'] },
} as const satisfies Record<Template, Record<string, readonly KeyType[]>>;

export type FieldsOf<T extends Template> = keyof (typeof FIELDS)[T];

// Built with the first message (load below), not at every cold start.
const configSchema = lazySchema(() => {
  const templateSchema = z.strictObject({
    id: z.string().min(1).max(128),
    title: z.string().max(40).optional(),
    fields: z.record(z.string(), z.string().regex(KEY, 'a data key such as thing1, time3')),
  });
  return z.looseObject({
    miniprogramState: z.enum(['developer', 'trial', 'formal']),
    templates: z.strictObject({ payment_result: templateSchema, window_open: templateSchema, window_closing: templateSchema, dispute_result: templateSchema, document_result: templateSchema }),
  });
});

export type MiniprogramState = 'developer' | 'trial' | 'formal';

function load() {
  const c = configSchema.parse(config);
  for (const t of Object.keys(FIELDS) as Template[]) {
    const want = FIELDS[t] as Record<string, readonly KeyType[]>;
    const have = c.templates[t].fields;
    const keys = new Set<string>();
    for (const [field, types] of Object.entries(want)) {
      const key = have[field];
      if (!key) throw new Error(`config/subscribe-messages.json: ${t}.fields.${field} is missing`);
      const type = KEY.exec(key)![1] as KeyType;
      if (!types.includes(type)) throw new Error(`config/subscribe-messages.json: ${t}.fields.${field} must be a ${types.join(' or ')} key, not ${key}`);
      if (keys.has(key)) throw new Error(`config/subscribe-messages.json: ${t} uses ${key} twice`);
      keys.add(key);
    }
    for (const field of Object.keys(have)) if (!(field in want)) throw new Error(`config/subscribe-messages.json: ${t}.fields.${field} is not filled by any message`);
  }
  return c;
}

// Checked on first use, not at load: every function that can send a message bundles this module,
// and parsing the config costs each cold start ~5 ms of CPU that a call sending nothing never needs.
let checked: ReturnType<typeof load> | undefined;
const loaded = () => (checked ??= load());

export function templateId(t: Template): string {
  return loaded().templates[t].id;
}

/**
 * The version a message opens. Bundled from the config file; `MINIPROGRAM_STATE` at bundle time
 * (build.ts defines it) makes a trial or developer build of the functions.
 */
export function miniprogramState(): MiniprogramState {
  const fromBuild = process.env.MINIPROGRAM_STATE;
  if (fromBuild === 'developer' || fromBuild === 'trial' || fromBuild === 'formal') return fromBuild;
  return loaded().miniprogramState;
}

export class TemplateValueError extends Error {
  constructor(key: string, why: string) {
    super(`subscribe message value for ${key}: ${why}`);
    this.name = 'TemplateValueError';
  }
}

/** What a field is filled with: text, money in fen, a Shanghai calendar date or an instant. */
export type FieldValue = string | { fen: number } | { date: string } | { at: Date };

const chars = (s: string) => [...s].length;

function cut(s: string, max: number): string {
  return chars(s) <= max ? s : [...s].slice(0, max - 1).join('') + '…';
}

function shanghaiParts(at: Date) {
  const t = new Date(at.getTime() + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), hm: `${p(t.getUTCHours())}:${p(t.getUTCMinutes())}` };
}

function chineseDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new TemplateValueError('date', `not a YYYY-MM-DD date: ${date}`);
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/** The value of one data key, fitted to the key's type; throws when it cannot fit. */
export function formatValue(key: string, value: FieldValue): string {
  const m = KEY.exec(key);
  if (!m) throw new TemplateValueError(key, 'unknown key type');
  const type = m[1] as KeyType;
  switch (type) {
    case 'thing':
    case 'name': {
      if (typeof value !== 'string' || !value.trim()) throw new TemplateValueError(key, 'needs text');
      // Names and titles are ours or the resident's: shortened rather than refused by WeChat.
      return cut(value.trim(), type === 'thing' ? 20 : 10);
    }
    case 'phrase':
      if (typeof value !== 'string' || !/^[\u4e00-\u9fa5]{1,5}$/.test(value)) throw new TemplateValueError(key, 'needs 1–5 Chinese characters');
      return value;
    case 'character_string':
      if (typeof value !== 'string' || !/^[\x21-\x7e]{1,32}$/.test(value)) throw new TemplateValueError(key, 'needs 1–32 letters, digits or symbols');
      return value;
    case 'number':
    case 'letter':
    case 'symbol':
    case 'phone_number':
    case 'car_number':
      if (typeof value !== 'string' || !value || chars(value) > 32) throw new TemplateValueError(key, 'needs at most 32 characters');
      return value;
    case 'amount': {
      if (typeof value !== 'object' || !('fen' in value) || !Number.isInteger(value.fen) || value.fen < 0) throw new TemplateValueError(key, 'needs an amount in fen');
      const yuan = (value.fen / 100).toFixed(2);
      if (yuan.replace('.', '').length > 10) throw new TemplateValueError(key, 'more than 10 digits');
      return `${yuan}元`;
    }
    case 'date':
      if (typeof value === 'object' && 'date' in value) return chineseDate(value.date);
      if (typeof value === 'object' && 'at' in value) {
        const p = shanghaiParts(value.at);
        return `${p.y}年${p.m}月${p.d}日`;
      }
      throw new TemplateValueError(key, 'needs a date');
    case 'time':
      // A time needs the time of day: a bare date is refused by WeChat for a time key.
      if (typeof value === 'object' && 'at' in value) {
        const p = shanghaiParts(value.at);
        return `${p.y}年${p.m}月${p.d}日 ${p.hm}`;
      }
      throw new TemplateValueError(key, 'needs an instant (a date alone does not fit a time key)');
  }
}

/** A whole message for `touser`: the configured id, keys and version; every value checked. */
export function subscribeMessage<T extends Template>(template: T, touser: string, page: string, values: Record<FieldsOf<T>, FieldValue>): SubscribeMessage {
  const keys = loaded().templates[template].fields;
  const data: Record<string, { value: string }> = {};
  for (const [field, value] of Object.entries(values) as Array<[string, FieldValue]>) {
    data[keys[field]] = { value: formatValue(keys[field], value) };
  }
  return { touser, templateId: templateId(template), page, data, miniprogramState: miniprogramState(), lang: 'zh_CN' };
}

/**
 * ID numbers are never stored or logged in plain text (DESIGN.md, data rules):
 * - `idHash`: keyed HMAC-SHA256, for lookup and the unique index;
 * - `idMasked`: first 3 + last 4, for display (6+4 beside a plain birth date was the whole number);
 * - `idCipher`: AES-256-GCM, only for authorised staff views.
 * Keys come from the function's environment (set in the cloud console; the local
 * cloud generates its own): a missing key stops the function, never falls back.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'crypto';
import { AppError } from '../../platform/errors';

function key(name: 'ID_HMAC_KEY' | 'ID_ENC_KEY'): Buffer {
  const hex = process.env[name];
  if (!hex || !/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new AppError('CONFIG_MISSING', '系统配置不完整，请联系管理员');
  }
  return Buffer.from(hex, 'hex');
}

/** Upper-case and trim, so "11010519491231002x" and "11010519491231002X" are one person. */
export function normaliseIdNumber(idNumber: string): string {
  return idNumber.trim().toUpperCase();
}

export function hashIdNumber(idNumber: string): string {
  return createHmac('sha256', key('ID_HMAC_KEY')).update(normaliseIdNumber(idNumber)).digest('hex');
}

export function maskId(idNumber: string): string {
  const n = normaliseIdNumber(idNumber);
  if (n.length <= 10) return n.slice(0, 2) + '*'.repeat(Math.max(n.length - 4, 0)) + n.slice(-2);
  return n.slice(0, 3) + '*'.repeat(n.length - 7) + n.slice(-4);
}

export function encryptIdNumber(idNumber: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key('ID_ENC_KEY'), iv);
  const body = Buffer.concat([cipher.update(normaliseIdNumber(idNumber), 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
}

export function decryptIdNumber(cipherText: string): string {
  const [version, iv, tag, body] = cipherText.split('.');
  if (version !== 'v1' || !iv || !tag || !body) throw new Error('unknown id cipher format');
  const decipher = createDecipheriv('aes-256-gcm', key('ID_ENC_KEY'), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}

/**
 * Other text that must not be stored plain because it narrows an ID number (an explanation
 * naming an age or a birth date, an address): AES-256-GCM like ID numbers, not normalised.
 */
export function encryptText(text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key('ID_ENC_KEY'), iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return ['t1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
}

export function decryptText(cipherText: string): string {
  const [version, iv, tag, body] = cipherText.split('.');
  if (version !== 't1' || !iv || !tag || !body) throw new Error('unknown text cipher format');
  const decipher = createDecipheriv('aes-256-gcm', key('ID_ENC_KEY'), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}

/** The three stored forms of one ID number. */
export function protectIdNumber(idNumber: string) {
  return { idHash: hashIdNumber(idNumber), idMasked: maskId(idNumber), idCipher: encryptIdNumber(idNumber) };
}

/**
 * Keyed hash of another identifier (an openid, a birth-certificate number), separated from
 * ID-number hashes by a label so the two can never collide.
 */
export function keyedHash(label: string, value: string): string {
  return createHmac('sha256', key('ID_HMAC_KEY')).update(`${label}\u0000${value}`).digest('hex');
}

/** Mobile numbers: masked (138****5678) for display, encrypted like ID numbers. */
export function protectMobile(mobile: string) {
  const m = mobile.trim();
  return { mobileMasked: m.slice(0, 3) + '****' + m.slice(-4), mobileCipher: encryptIdNumber(m) };
}

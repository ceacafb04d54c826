/**
 * Identity protection against the mistakes mutation testing found unguarded (issue 16): the
 * keyed hash computed with another key or without the label, a key of the wrong length
 * accepted, a cipher of the wrong kind or with a missing part half-decrypted, a mobile number
 * stored or shown in clear. Expected values are computed here with node's crypto directly,
 * not with the module under test.
 */
import { createDecipheriv, createHmac } from 'crypto';
import {
  decryptIdNumber,
  decryptText,
  encryptIdNumber,
  encryptText,
  hashIdNumber,
  keyedHash,
  maskId,
  normaliseIdNumber,
  protectIdNumber,
  protectMobile,
} from '../../cloudfunctions/src/domain/identity/id-protection';

// GB 11643-1999's own published example.
const ID = '11010519491231002X';
const HMAC_HEX = '0123456789abcdef'.repeat(4);
const ENC_HEX = 'fedcba9876543210'.repeat(4);

function hmac(keyHex: string, text: string): string {
  return createHmac('sha256', Buffer.from(keyHex, 'hex')).update(text).digest('hex');
}

/** AES-256-GCM decryption written out here: what a staff view with the right key would do. */
function openCipher(cipherText: string, keyHex: string): string {
  const [, iv, tag, body] = cipherText.split('.');
  const d = createDecipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), Buffer.from(iv, 'base64'));
  d.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([d.update(Buffer.from(body, 'base64')), d.final()]).toString('utf8');
}

const saved = { ...process.env };
beforeEach(() => {
  process.env.ID_HMAC_KEY = HMAC_HEX;
  process.env.ID_ENC_KEY = ENC_HEX;
});
afterAll(() => {
  process.env = saved;
});

describe('keyed hashes', () => {
  it('hash an ID number with HMAC-SHA256 under ID_HMAC_KEY, nothing else', () => {
    expect(hashIdNumber(ID)).toBe(hmac(HMAC_HEX, ID));
    expect(hashIdNumber(ID)).not.toBe(hmac(ENC_HEX, ID));
  });

  it('hash the normalised number: surrounding spaces and a lower-case x are the same person', () => {
    expect(normaliseIdNumber(`  ${ID.toLowerCase()} `)).toBe(ID);
    expect(hashIdNumber(` ${ID.toLowerCase()}\n`)).toBe(hmac(HMAC_HEX, ID));
  });

  it('hash other identifiers under a label, so an openid can never collide with an ID-number hash', () => {
    expect(keyedHash('openid', 'o-abc')).toBe(hmac(HMAC_HEX, 'openid\u0000o-abc'));
    expect(keyedHash('openid', 'o-abc')).not.toBe(keyedHash('birth_cert', 'o-abc'));
    expect(keyedHash('id', ID)).not.toBe(hashIdNumber(ID));
  });
});

describe('keys', () => {
  it.each([
    ['one hex digit too many', `${HMAC_HEX}0`],
    ['a non-hex character in front', `z${HMAC_HEX.slice(1)}`],
    ['a non-hex character at the end', `${HMAC_HEX.slice(0, 63)}z`],
    ['32 characters (a 128-bit key)', HMAC_HEX.slice(0, 32)],
  ])('refuse a key with %s, with a message for the resident', (_what, bad) => {
    process.env.ID_HMAC_KEY = bad;
    expect(() => hashIdNumber(ID)).toThrow(expect.objectContaining({ code: 'CONFIG_MISSING', userMessage: '系统配置不完整，请联系管理员' }));
    process.env.ID_HMAC_KEY = HMAC_HEX;
    process.env.ID_ENC_KEY = bad;
    expect(() => encryptIdNumber(ID)).toThrow(expect.objectContaining({ code: 'CONFIG_MISSING' }));
  });

  it('encrypt under ID_ENC_KEY: another key cannot open the cipher', () => {
    const c = encryptIdNumber(ID);
    expect(openCipher(c, ENC_HEX)).toBe(ID);
    expect(() => openCipher(c, HMAC_HEX)).toThrow();
    process.env.ID_ENC_KEY = HMAC_HEX;
    expect(() => decryptIdNumber(c)).toThrow();
  });
});

describe('cipher formats', () => {
  it.each([
    ['another version', (c: string) => c.replace(/^v1\./, 'v2.')],
    ['no IV', (c: string) => c.split('.').map((p, i) => (i === 1 ? '' : p)).join('.')],
    ['no tag', (c: string) => c.split('.').map((p, i) => (i === 2 ? '' : p)).join('.')],
    ['no body', (c: string) => c.split('.').map((p, i) => (i === 3 ? '' : p)).join('.')],
    ['a text cipher', () => encryptText(ID)],
  ])('an ID cipher with %s is refused as an unknown format, not half-decrypted', (_what, spoil) => {
    expect(() => decryptIdNumber(spoil(encryptIdNumber(ID)))).toThrow(/^unknown id cipher format$/);
  });

  it.each([
    ['another version', (c: string) => c.replace(/^t1\./, 't2.')],
    ['no IV', (c: string) => c.split('.').map((p, i) => (i === 1 ? '' : p)).join('.')],
    ['no tag', (c: string) => c.split('.').map((p, i) => (i === 2 ? '' : p)).join('.')],
    ['no body', (c: string) => c.split('.').map((p, i) => (i === 3 ? '' : p)).join('.')],
    ['an ID cipher', () => encryptIdNumber(ID)],
  ])('a text cipher with %s is refused as an unknown format', (_what, spoil) => {
    expect(() => decryptText(spoil(encryptText('住址：蜀山区')))).toThrow(/^unknown text cipher format$/);
  });

  it('the three stored forms of one number: hash, mask and a cipher that opens to the number', () => {
    const p = protectIdNumber(` ${ID.toLowerCase()}`);
    expect(p.idHash).toBe(hmac(HMAC_HEX, ID));
    expect(p.idMasked).toBe('110***********002X');
    expect(p.idCipher.startsWith('v1.')).toBe(true);
    expect(openCipher(p.idCipher, ENC_HEX)).toBe(ID);
  });
});

describe('masks', () => {
  it.each([
    ['a 15-digit first-generation number', '110105491231002', '110********1002'],
    ['an 11-character number', 'E1234567890', 'E12****7890'],
    ['a 10-character number', 'H123456789', 'H1******89'],
    ['a 9-character passport number', 'e12345678', 'E1*****78'],
  ])('show little of %s', (_what, input, masked) => {
    expect(maskId(input)).toBe(masked);
  });

  it('a malformed short stored value masks without throwing (a listing must not break on it)', () => {
    expect(() => maskId('12')).not.toThrow();
    expect(maskId('12')).not.toContain('*');
  });
});

describe('mobile numbers', () => {
  it('are shown as 138****5678 and stored only as a cipher that opens to the trimmed number', () => {
    const m = protectMobile(' 13812345678 ');
    expect(m.mobileMasked).toBe('138****5678');
    expect(m.mobileCipher).not.toContain('13812345678');
    expect(m.mobileCipher).not.toContain('12345678');
    expect(openCipher(m.mobileCipher, ENC_HEX)).toBe('13812345678');
    expect(Object.keys(m).sort()).toEqual(['mobileCipher', 'mobileMasked']);
  });
});

import { decryptIdNumber, decryptText, encryptIdNumber, encryptText, hashIdNumber, maskId, protectIdNumber } from '../../cloudfunctions/src/domain/identity/id-protection';

const ID = '34010419900307251X';

describe('ID number protection', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.ID_HMAC_KEY = 'a'.repeat(64);
    process.env.ID_ENC_KEY = 'b'.repeat(64);
  });
  afterAll(() => {
    process.env = saved;
  });

  it('hashes case-insensitively on the check character and depends on the key', () => {
    expect(hashIdNumber(ID)).toBe(hashIdNumber(ID.toLowerCase()));
    expect(hashIdNumber(ID)).toMatch(/^[0-9a-f]{64}$/);
    const first = hashIdNumber(ID);
    process.env.ID_HMAC_KEY = 'c'.repeat(64);
    expect(hashIdNumber(ID)).not.toBe(first);
  });

  it('masks to the first 3 and the last 4 characters (issue 9: 6+4 beside a birth date was the whole number)', () => {
    expect(maskId(ID)).toBe('340***********251X');
  });

  it('encrypts other text unchanged (not upper-cased like ID numbers)', () => {
    const text = JSON.stringify(['您是持本市居住证人员的未成年子女（11周岁）。', 'abc']);
    const c = encryptText(text);
    expect(c).not.toContain('周岁');
    expect(decryptText(c)).toBe(text);
  });

  it('encrypts with a fresh IV each time and decrypts back; tampering is detected', () => {
    const a = encryptIdNumber(ID);
    const b = encryptIdNumber(ID);
    expect(a).not.toBe(b);
    expect(a).not.toContain(ID);
    expect(decryptIdNumber(a)).toBe(ID);
    const parts = a.split('.');
    parts[3] = Buffer.from('34010419900307000X').toString('base64');
    expect(() => decryptIdNumber(parts.join('.'))).toThrow();
  });

  it('refuses to work without keys rather than fall back to a default', () => {
    delete process.env.ID_HMAC_KEY;
    expect(() => protectIdNumber(ID)).toThrow(expect.objectContaining({ code: 'CONFIG_MISSING' }));
  });
});

/**
 * Phone numbers as residents dial them. The 2023 scheme's attachment 1 prints district numbers
 * as 8 local digits (e.g. 62529900); the policy table keeps them verbatim as printed, and the
 * Hefei area code 0551 is added here, for display and dialling only.
 */
export const HEFEI_AREA_CODE = '0551';

/** '62529900' → '0551-62529900'; service numbers (12366), mobiles and numbers with an area code unchanged. */
export function displayPhone(raw: string): string {
  const n = raw.replace(/[\s-]/g, '');
  if (/^[2-8]\d{7}$/.test(n)) return `${HEFEI_AREA_CODE}-${n}`;
  return raw.trim();
}

/** What makePhoneCall dials: digits only, area code included. */
export function dialNumber(raw: string): string {
  return displayPhone(raw).replace(/\D/g, '');
}

/** '医保：62529900' → { label: '医保', number: '62529900' } (the policyInfo contact lines). */
export function splitContact(line: string): { label: string; number: string } | null {
  const m = /^(.*?)[：:]\s*([\d\s-]{5,})$/.exec(line.trim());
  return m ? { label: m[1], number: m[2].trim() } : null;
}

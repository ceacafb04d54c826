/**
 * District of a Hefei resident from the ID's administrative-division code (GB/T 2260).
 * The functional zones (高新区, 经开区, 新站区) have no division code of their own: a person there
 * shows the county/district of their ID, and staff can correct it.
 */
const HEFEI_DIVISIONS: Record<string, string> = {
  '340102': '瑶海区',
  '340103': '庐阳区',
  '340104': '蜀山区',
  '340111': '包河区',
  '340121': '长丰县',
  '340122': '肥东县',
  '340123': '肥西县',
  '340124': '庐江县',
  '340181': '巢湖市',
};

/** The Hefei district name, '合肥市' for other 3401xx codes, null outside Hefei. */
export function districtOf(divisionCode: string): string | null {
  if (HEFEI_DIVISIONS[divisionCode]) return HEFEI_DIVISIONS[divisionCode];
  if (divisionCode.startsWith('3401')) return '合肥市';
  return null;
}

/**
 * A generated hukou population with known screening answers (issue 13), independent of the code
 * under test: its own GB 11643 check digit, its own district codes, its own flag rules written
 * from the 2023 scheme's words (七（三）: compare with the previous two years' enrollment and the
 * hukou population, especially people over 60 and students).
 *
 *   npx tsx scripts/generate-population.ts --n 100000 --seed 7 --out /tmp/pop
 *
 * writes register.csv (the extract the city imports: 身份证号,姓名,区县,乡镇,社区), people.jsonl (each
 * person's facts: enrolled per benefit year, on an assistance list) and expected.json (the
 * unenrolled for benefit year 2024 with their flags, counts per district, the bad rows). A few
 * rows are broken on purpose (wrong check digit, a district outside Hefei) and must be refused.
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

/** Hefei's districts as the 2023 scheme's attachment names them, with a division code each. */
const DISTRICTS: Array<[string, string]> = [
  ['肥东县', '340122'],
  ['肥西县', '340123'],
  ['长丰县', '340121'],
  ['巢湖市', '340181'],
  ['庐江县', '340124'],
  ['瑶海区', '340102'],
  ['庐阳区', '340103'],
  ['蜀山区', '340104'],
  ['包河区', '340111'],
  ['高新区', '340171'],
  ['经开区', '340172'],
  ['新站区', '340173'],
];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志德文斌宇浩然子涵欣怡梓萱晨阳思远';

/** The benefit year screened, and the two before it the 2023 scheme compares with. */
export const SCREENED_YEAR = 2024;
export const EARLIER_YEARS = [2023, 2022];

export interface Person {
  idNumber: string;
  name: string;
  district: string;
  township: string;
  community: string;
  birthDate: string;
  enrolled: Record<number, boolean>;
  assisted: boolean;
}

export interface Expected {
  n: number;
  badRows: number;
  perDistrict: Record<string, number>;
  unenrolled: Array<{ idNumber: string; lapsed: boolean; over60: boolean; studentAge: boolean; assisted: boolean }>;
  flagCounts: { lapsed: number; over60: number; studentAge: number; assisted: number };
}

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/** ISO 7064 MOD 11-2, as GB 11643-1999 prints it. */
function checkChar(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i];
  return '10X98765432'[sum % 11];
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

export function generatePopulation(n: number, seed = 7): { people: Person[]; csv: string; expected: Expected } {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const used = new Set<string>();
  const people: Person[] = [];
  for (let i = 0; i < n; i++) {
    const [district, code] = pick(DISTRICTS);
    const t = 1 + Math.floor(rand() * 4);
    const township = `${district.slice(0, 2)}第${t}街道`;
    const community = `${district.slice(0, 2)}${t}街${1 + Math.floor(rand() * 6)}社区`;
    // Ages 0–95 in 2023.
    const year = 2023 - Math.floor(rand() * 96);
    const month = 1 + Math.floor(rand() * 12);
    const day = 1 + Math.floor(rand() * 28);
    let idNumber = '';
    for (let seq = Math.floor(rand() * 999) + 1; ; seq = (seq % 999) + 1) {
      const first17 = `${code}${year}${pad(month, 2)}${pad(day, 2)}${pad(seq, 3)}`;
      idNumber = first17 + checkChar(first17);
      if (!used.has(idNumber)) break;
    }
    used.add(idNumber);
    const name = pick([...SURNAMES]) + pick([...GIVEN]) + (rand() < 0.5 ? pick([...GIVEN]) : '');
    // Most people stay enrolled; some lapse, some never enrolled.
    const habit = rand();
    const enrolled: Record<number, boolean> = {};
    for (const y of [...EARLIER_YEARS, SCREENED_YEAR]) enrolled[y] = habit < 0.7 ? rand() < 0.97 : habit < 0.9 ? rand() < 0.5 : false;
    people.push({ idNumber, name, district, township, community, birthDate: `${year}-${pad(month, 2)}-${pad(day, 2)}`, enrolled, assisted: rand() < 0.03 });
  }
  // The extract: every person once, plus broken rows the import must refuse.
  const lines = ['身份证号,姓名,区县,乡镇,社区'];
  for (const p of people) lines.push([p.idNumber, p.name, p.district, p.township, p.community].join(','));
  const bad = Math.max(3, Math.floor(n / 10_000));
  for (let b = 0; b < bad; b++) {
    const p = people[b];
    if (b % 2 === 0) {
      const wrong = p.idNumber.slice(0, 17) + (p.idNumber[17] === '0' ? '1' : '0');
      lines.push([wrong, p.name, p.district, p.township, p.community].join(','));
    } else {
      lines.push([p.idNumber, p.name, '北京市东城区', p.township, p.community].join(','));
    }
  }
  const perDistrict: Record<string, number> = {};
  for (const p of people) perDistrict[p.district] = (perDistrict[p.district] ?? 0) + 1;
  const unenrolled = people
    .filter((p) => !p.enrolled[SCREENED_YEAR])
    .map((p) => {
      // Age reached in 2023, the year of the collection for benefit year 2024.
      const age = 2023 - Number(p.birthDate.slice(0, 4));
      return { idNumber: p.idNumber, lapsed: EARLIER_YEARS.some((y) => p.enrolled[y]), over60: age >= 60, studentAge: age >= 6 && age <= 22, assisted: p.assisted };
    });
  const flagCounts = { lapsed: 0, over60: 0, studentAge: 0, assisted: 0 };
  for (const u of unenrolled) for (const k of Object.keys(flagCounts) as Array<keyof typeof flagCounts>) if (u[k]) flagCounts[k]++;
  return { people, csv: lines.join('\r\n') + '\r\n', expected: { n, badRows: bad, perDistrict, unenrolled, flagCounts } };
}

if (require.main === module) {
  const arg = (name: string, dflt: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const n = Number(arg('n', '100000'));
  const out = arg('out', 'population');
  const { people, csv, expected } = generatePopulation(n, Number(arg('seed', '7')));
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'register.csv'), csv);
  writeFileSync(join(out, 'people.jsonl'), people.map((p) => JSON.stringify(p)).join('\n') + '\n');
  writeFileSync(join(out, 'expected.json'), JSON.stringify(expected));
  console.log(`${n} people (${expected.unenrolled.length} unenrolled for ${SCREENED_YEAR}, ${expected.badRows} broken rows) in ${out}`);
}

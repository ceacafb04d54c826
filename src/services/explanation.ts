/**
 * The policy engine's explanation, as a resident reads it. The engine writes each line as an
 * audit note ("依据《…方案》四、集中参保期和待遇享受期，…，本系统按…计算"), which is right for staff
 * and tests but reads like a developer's note. Here each known sentence becomes plain words, the
 * document is named once at the end, and a line we do not know keeps its words without the
 * clause prefix. The engine's output (and its CLI) is unchanged.
 */

const SOURCE = /^依据(《[^》]+》)[^，“]*，/;

type Rule = [RegExp, (m: RegExpExecArray) => string];

const RULES: Rule[] = [
  // 参保对象: who may enroll.
  [/“([^”]+)”(?:应当|可以)参加居民医保，您符合该条件。$/, (m) => `您属于“${m[1]}”，可以参加合肥市居民医保。`],
  [/“[^”]+”(?:应当|可以)参加居民医保，(您是[^。]+)。$/, (m) => `${m[1]}，可以参加合肥市居民医保。`],
  [/您不符合本年度居民医保的参保条件(：[^。]+)?。$/, (m) => `您不符合本年度居民医保的参保条件${m[1] ?? ''}。`],
  // 不得重复参保: the engine's own sentence after the quotation.
  [/”：(您已[^。]+。)$/, (m) => m[1]],
  // 缴费期.
  [/集中参保缴费期为(.+?至.+?)，.+?不在缴费期内，暂不能参保缴费。$/, (m) => `集中缴费期为${m[1]}，现在不在缴费期内，暂不能缴费。`],
  [/集中参保缴费期为(.+?至.+?)，.+?在缴费期内。$/, (m) => `现在是集中缴费期（${m[1]}），可以缴费。`],
  [/在按国家和省有关规定执行的延长参保期内（(.+?)）。$/, (m) => `现在是国家和省规定的延长参保期（${m[1]}），可以缴费。`],
  [/”：(孩子出生于[^。]+。)$/, (m) => m[1]],
  [/未规定新生儿在集中参保缴费期以外参加(\d{4})年度居民医保。$/, (m) => `本年度政策没有规定新生儿可在集中缴费期以外参加${m[1]}年度居民医保，请咨询所在社区。`],
  // 待遇享受期 (the "本系统按…计算" note included: the resident needs the dates, not our method).
  [/(?:待遇享受期为|本系统按)(.+?至.+?)(?:计算)?。$/, (m) => `缴费后，${m[1]}在合肥看病可按规定报销。`],
  // 筹资标准.
  [/筹资标准为每人(.+?元)，其中各级政府财政补助每人(.+?元)，居民个人缴费每人(.+?元)。$/, (m) => `每人每年筹资${m[1]}，其中政府补助${m[2]}，个人缴费${m[3]}。`],
  [/居民个人缴费标准为每人(.+?元)；财政补助标准按[^。]+。$/, (m) => `个人缴费标准为每人${m[1]}，其余由政府财政补助。`],
];

/** Resident-facing lines for the engine's explanation (same order; the document named once). */
export function explanationText(lines: readonly string[]): string[] {
  let source: string | null = null;
  const out = lines.map((line) => {
    const cited = SOURCE.exec(line) ?? /^(《[^》]+》)/.exec(line);
    if (cited) source ??= cited[1];
    for (const [re, say] of RULES) {
      const m = re.exec(line);
      if (m) return say(m);
    }
    return line.replace(SOURCE, '');
  });
  if (source) out.push(`以上依据${source}。`);
  return out;
}

/**
 * npm run --silent policy -- quote '<json>'
 * Prints exactly one JSON object on stdout: the quote (exit 0) or {"error":{code,message}} (exit 2).
 * If the input has no "asOf", today's Asia/Shanghai date is used.
 */
import { isPolicyError, PolicyError } from './errors';
import { shanghaiDate } from './dates';
import { quote } from './quote';

function out(obj: unknown, code: number): never {
  process.stdout.write(JSON.stringify(obj) + '\n');
  process.exit(code);
}

function fail(e: PolicyError | { code: string; message: string; field?: string }): never {
  // Exactly {code, message}: the contract fixed in the policy issue.
  return out({ error: { code: e.code, message: e.message } }, 2);
}

function main(argv: string[]): void {
  const [command, json, ...rest] = argv;
  if (command !== 'quote' || json === undefined || rest.length > 0) {
    fail({ code: 'invalid_input', message: "用法：npm run --silent policy -- quote '<json>'" });
  }
  let input: unknown;
  try {
    input = JSON.parse(json);
  } catch {
    fail({ code: 'invalid_input', message: '输入不是有效的JSON' });
  }
  if (input && typeof input === 'object' && !Array.isArray(input) && !('asOf' in input)) {
    (input as Record<string, unknown>).asOf = shanghaiDate(new Date());
  }
  try {
    out(quote(input as never), 0);
  } catch (e) {
    if (isPolicyError(e)) fail(e as PolicyError);
    fail({ code: 'invalid_input', message: '无法处理该请求' });
  }
}

main(process.argv.slice(2));

/**
 * CLI of the local cloud:
 *   npm run cloud -- [--port 8787] [--data .local-cloud] [--now 2023-10-08T10:00+08:00] [--functions DIR] [--indexes FILE]
 * SIGTERM and Ctrl-C stop it cleanly.
 */
import { parseInstant } from './clock';
import { startLocalCloud } from './server';

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[a.slice(2)] = argv[++i];
    else out[a.slice(2)] = 'true';
  }
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log('用法: npm run cloud -- [--port 8787] [--data .local-cloud] [--now 2023-10-08T10:00+08:00] [--functions cloudfunctions/deploy] [--indexes cloudfunctions/indexes.json]');
    return;
  }
  const port = args.port ? Number(args.port) : 8787;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`端口无效: ${args.port}`);
  const cloud = await startLocalCloud({
    port,
    dataDir: args.data,
    now: args.now ? parseInstant(args.now) : undefined,
    functionsDir: args.functions,
    indexesFile: args.indexes,
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    cloud
      .close()
      .then(() => {
        console.log(`本地云已停止 (${signal})`);
        process.exit(0);
      })
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e) => {
  console.error(`本地云启动失败: ${(e as Error).message}`);
  process.exit(1);
});

/**
 * The local cloud in a process of its own, so a test can kill -9 it (and its function workers:
 * the process group) and start it again on the same data folder:
 *   npx tsx test/cloud/support/cloud-process.ts <dataDir> <now> '<functionEnv JSON>'
 * Prints the URL on its first line once listening.
 */
import { startLocalCloud } from '../../../cloudfunctions/local-cloud/server';

async function main() {
  const [dataDir, now, env] = process.argv.slice(2);
  const cloud = await startLocalCloud({ port: 0, dataDir, now, quiet: true, functionEnv: env ? JSON.parse(env) : undefined });
  process.stdout.write(`${cloud.url}\n`);
  process.on('SIGTERM', () => void cloud.close().then(() => process.exit(0)));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

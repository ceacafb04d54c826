/** Removes the weapp build the global set-up made (never a WEAPP_DIST given from outside). */
import { rmSync } from 'fs';

export default async function globalTeardown(): Promise<void> {
  const temp = process.env.WEAPP_DIST_TEMP;
  if (temp && /weapp-harness-/.test(temp)) rmSync(temp, { recursive: true, force: true });
}

/**
 * Worker process of the local cloud's function pool. It runs ONE invocation at a
 * time: it sets the caller's context in process.env (getWXContext() reads only
 * environment variables), calls the function's main(event, context), and replies.
 * Plain CommonJS so that it runs under plain node, like a cloud function instance.
 */
'use strict';

const CONTEXT_KEYS = ['WX_OPENID', 'WX_APPID', 'WX_UNIONID', 'WX_CLIENTIP', 'WX_CLIENTIPV6', 'WX_SOURCE', 'TCB_SESSIONTOKEN',
  'LOCAL_CLOUD_NOW', 'LOCAL_CLOUD_CLOCK_OFFSET_MS', 'TCB_SOURCE'];

let current = null; // id of the running invocation
const modules = new Map();

function fail(id, kind, err) {
  // Never forward an error's message to logs here: it may quote personal data. The
  // parent decides what to show.
  const message = err && err.message ? String(err.message) : String(err);
  process.send({ type: 'result', id, ok: false, kind, message: message.slice(0, 2000) });
}

process.on('uncaughtException', (err) => {
  if (current) fail(current, 'crash', err);
  process.exit(1);
});
process.on('unhandledRejection', (err) => {
  if (current) fail(current, 'crash', err);
  process.exit(1);
});

process.on('message', async (msg) => {
  if (!msg || msg.type !== 'invoke') return;
  const { id, file, event, env, context } = msg;
  current = id;
  for (const key of CONTEXT_KEYS) delete process.env[key];
  Object.assign(process.env, env);
  try {
    let mod = modules.get(file);
    if (!mod) {
      mod = require(file);
      modules.set(file, mod);
    }
    const main = mod.main || (mod.default && mod.default.main);
    if (typeof main !== 'function') throw new Error('function does not export main');
    const result = await main(event, context);
    process.send({ type: 'result', id, ok: true, result: result === undefined ? null : result });
  } catch (err) {
    fail(id, 'error', err);
  } finally {
    current = null;
  }
});

process.send({ type: 'ready' });

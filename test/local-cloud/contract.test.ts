/**
 * Contract suite: the real wx-server-sdk (pinned 4.0.2) against the local cloud.
 * Every request the SDK sends is recorded; the action names and request keys are
 * snapshotted so an SDK upgrade that changes the protocol fails loudly.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { startFixtureCloud } from './helpers';

// Skip the SDK's probe of Tencent's metadata server (a DNS lookup per request that
// outlives the test); the service URL still comes from cloud.init below.
process.env.TENCENTCLOUD = 'true';
process.env.SILENCE = 'true'; // no slow-request warnings from the SDK
// eslint-disable-next-line @typescript-eslint/no-var-requires
const cloud: any = require('wx-server-sdk');

jest.setTimeout(60_000);

let lc: LocalCloud;
let db: any;
let _: any;
const seen = new Map<string, Set<string>>();
const VOLATILE = new Set(['tcb_sessionToken', 'wxCloudApiToken', 'wxCloudbaseAccesstoken', 'crossAuthorizationToken']);

beforeAll(async () => {
  lc = await startFixtureCloud('contract', {
    onSdkRequest: (action, params) => {
      const keys = seen.get(action) ?? new Set<string>();
      Object.keys(params).forEach((k) => keys.add(k));
      seen.set(action, keys);
    },
  });
  cloud.init({ env: 'local', serviceUrl: `${lc.url}/admin`, secretId: 'local', secretKey: lc.localToken });
  db = cloud.database({ throwOnNotFound: false });
  _ = db.command;
});

afterAll(async () => {
  await lc?.close();
});

async function expectErr(p: Promise<unknown>): Promise<{ errCode: number; errMsg: string }> {
  try {
    await p;
  } catch (e: any) {
    return { errCode: e.errCode, errMsg: String(e.errMsg ?? e.message) };
  }
  throw new Error('expected the SDK call to fail');
}

describe('database', () => {
  test('createCollection, and a missing collection fails like the cloud (-502005)', async () => {
    await db.createCollection('made_by_sdk');
    await db.collection('made_by_sdk').add({ data: { a: 1 } });
    const err = await expectErr(db.collection('no_such_collection').add({ data: { a: 1 } }));
    expect(err.errCode).toBe(-502005);
    const err2 = await expectErr(db.collection('no_such_collection').where({}).get());
    expect(err2.errCode).toBe(-502005);
  });

  test('add / doc get / set / update / remove', async () => {
    const things = db.collection('things');
    const { _id } = await things.add({ data: { name: '张三', n: 1, born: new Date('2000-01-02T00:00:00Z') } });
    expect(typeof _id).toBe('string');
    const got = await things.doc(_id).get();
    expect(got.data).toMatchObject({ _id, name: '张三', n: 1 });
    expect(got.data.born).toBeInstanceOf(Date);

    const set = await things.doc(_id).set({ data: { name: '李四' } });
    expect(set.stats.updated).toBe(1);
    expect((await things.doc(_id).get()).data).toEqual({ _id, name: '李四' });

    const upserted = await things.doc('fixed-id').set({ data: { name: 'new' } });
    expect(upserted._id).toBe('fixed-id');
    expect((await things.doc('fixed-id').get()).data.name).toBe('new');

    const upd = await things.doc(_id).update({ data: { n: 5 } });
    expect(upd.stats.updated).toBe(1);
    expect(await things.doc('nope').update({ data: { n: 1 } })).toMatchObject({ stats: { updated: 0 } });

    const rm = await things.doc(_id).remove();
    expect(rm.stats.removed).toBe(1);
    const after = await things.doc(_id).get();
    expect(after.data ?? null).toBeNull();
  });

  test('nested update merges; _.set replaces', async () => {
    const things = db.collection('things');
    const { _id } = await things.add({ data: { addr: { city: '合肥', district: '蜀山区', street: 'A' } } });
    await things.doc(_id).update({ data: { addr: { street: 'B' } } });
    expect((await things.doc(_id).get()).data.addr).toEqual({ city: '合肥', district: '蜀山区', street: 'B' });
    await things.doc(_id).update({ data: { addr: _.set({ street: 'C' }) } });
    expect((await things.doc(_id).get()).data.addr).toEqual({ street: 'C' });
  });

  test('update operators: inc, mul, push, addToSet, pull, remove, unshift, pop, serverDate', async () => {
    const things = db.collection('things');
    const { _id } = await things.add({ data: { n: 1, tags: ['a'], gone: 1, list: [1, 2, 3] } });
    await things.doc(_id).update({
      data: { n: _.inc(2), tags: _.push(['b', 'c']), gone: _.remove(), list: _.pull(2), at: db.serverDate({ offset: 1000 }) },
    });
    let d = (await things.doc(_id).get()).data;
    expect(d.n).toBe(3);
    expect(d.tags).toEqual(['a', 'b', 'c']);
    expect(d).not.toHaveProperty('gone');
    expect(d.list).toEqual([1, 3]);
    expect(d.at).toBeInstanceOf(Date);
    await things.doc(_id).update({ data: { n: _.mul(10), tags: _.addToSet('a'), list: _.unshift([0]) } });
    await things.doc(_id).update({ data: { tags: _.addToSet('z') } });
    await things.doc(_id).update({ data: { list: _.pop() } });
    d = (await things.doc(_id).get()).data;
    expect(d.n).toBe(30);
    expect(d.tags).toEqual(['a', 'b', 'c', 'z']);
    expect(d.list).toEqual([0, 1]);
  });

  test('serverDate follows the moved clock', async () => {
    const things = db.collection('things');
    lc.clock.set(new Date('2024-12-31T15:59:00Z'));
    const { _id } = await things.add({ data: { at: db.serverDate() } });
    const at: Date = (await things.doc(_id).get()).data.at;
    expect(Math.abs(at.getTime() - Date.parse('2024-12-31T15:59:00Z'))).toBeLessThan(5000);
    const res = await fetch(`${lc.url}/api/clock`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${lc.localToken}` }, body: JSON.stringify({ now: '2023-10-08T10:00+08:00' }) });
    expect(((await res.json()) as any).now.slice(0, 16)).toBe('2023-10-08T02:00');
  });

  test('where with every query operator, orderBy / skip / limit / field, count', async () => {
    const people = db.collection('lookup_people');
    const rows = [
      { pid: 'p1', name: '王一', age: 70, district: '蜀山区', tags: ['低保'], phone: '1' },
      { pid: 'p2', name: '王二', age: 19, district: '包河区', tags: ['学生', '特困'] },
      { pid: 'p3', name: '李三', age: 1, district: '蜀山区', tags: [] },
      { pid: 'p4', name: '赵四', age: 45, district: '瑶海区', tags: ['学生'], phone: '4' },
    ];
    for (const r of rows) await people.add({ data: r });
    const names = async (q: any) => (await people.where(q).orderBy('pid', 'asc').get()).data.map((d: any) => d.pid);
    expect(await names({ age: _.eq(19) })).toEqual(['p2']);
    expect(await names({ district: _.neq('蜀山区') })).toEqual(['p2', 'p4']);
    expect(await names({ age: _.gt(45) })).toEqual(['p1']);
    expect(await names({ age: _.gte(45) })).toEqual(['p1', 'p4']);
    expect(await names({ age: _.lt(19) })).toEqual(['p3']);
    expect(await names({ age: _.lte(19) })).toEqual(['p2', 'p3']);
    expect(await names({ district: _.in(['包河区', '瑶海区']) })).toEqual(['p2', 'p4']);
    expect(await names({ district: _.nin(['包河区', '瑶海区']) })).toEqual(['p1', 'p3']);
    expect(await names({ phone: _.exists(true) })).toEqual(['p1', 'p4']);
    expect(await names({ age: _.gt(10).and(_.lt(50)) })).toEqual(['p2', 'p4']);
    expect(await names(_.and([{ district: '蜀山区' }, { age: _.gt(10) }]))).toEqual(['p1']);
    expect(await names(_.or([{ age: _.lt(2) }, { age: _.gt(60) }]))).toEqual(['p1', 'p3']);
    expect(await names({ age: _.not(_.gt(18)) })).toEqual(['p3']);
    expect(await names(_.nor([{ district: '蜀山区' }, { age: 45 }]))).toEqual(['p2']);
    expect(await names({ tags: _.all(['学生', '特困']) })).toEqual(['p2']);
    expect(await names({ tags: _.size(0) })).toEqual(['p3']);
    expect(await names({ tags: _.elemMatch(_.eq('低保')) })).toEqual(['p1']);
    expect(await names({ name: db.RegExp({ regexp: '^王', options: 'i' }) })).toEqual(['p1', 'p2']);

    const page = await people.where({}).orderBy('age', 'desc').skip(1).limit(2).field({ pid: true, age: true }).get();
    expect(page.data.map((d: any) => d.pid)).toEqual(['p4', 'p2']);
    expect(Object.keys(page.data[0]).sort()).toEqual(['_id', 'age', 'pid']);
    expect((await people.where({ district: '蜀山区' }).count()).total).toBe(2);
  });

  test('where().update (multi) and where().remove', async () => {
    const things = db.collection('things');
    await things.add({ data: { batch: 'w', v: 1 } });
    await things.add({ data: { batch: 'w', v: 2 } });
    const u = await things.where({ batch: 'w' }).update({ data: { v: _.inc(10) } });
    expect(u.stats.updated).toBe(2);
    expect((await things.where({ batch: 'w', v: _.gt(10) }).count()).total).toBe(2);
    const r = await things.where({ batch: 'w' }).remove();
    expect(r.stats.removed).toBe(2);
  });

  test('get() returns at most 100 documents; aggregate() 20 unless limited', async () => {
    const big = db.collection('big');
    await Promise.all(Array.from({ length: 130 }, (_x, i) => big.add({ data: { i } })));
    expect((await big.get()).data).toHaveLength(100);
    expect((await big.limit(1000).get()).data).toHaveLength(100);
    expect((await big.skip(100).limit(100).get()).data).toHaveLength(30);
    expect((await big.aggregate().match({}).end()).list).toHaveLength(20);
    expect((await big.aggregate().match({}).limit(50).end()).list).toHaveLength(50);
    expect((await big.count()).total).toBe(130);
  });

  test('aggregate: match, group, sort, project, lookup, unwind, count', async () => {
    const $ = db.command.aggregate;
    const orders = db.collection('lookup_orders');
    await orders.add({ data: { pid: 'p1', fee: 380 } });
    await orders.add({ data: { pid: 'p1', fee: 20 } });
    await orders.add({ data: { pid: 'p2', fee: 100 } });
    const grouped = await orders
      .aggregate()
      .match({ fee: _.gt(0) })
      .group({ _id: '$pid', total: $.sum('$fee'), n: $.sum(1) })
      .sort({ total: -1 })
      .project({ _id: 0, pid: '$_id', total: 1, n: 1 })
      .end();
    expect(grouped.list).toEqual([
      { pid: 'p1', total: 400, n: 2 },
      { pid: 'p2', total: 100, n: 1 },
    ]);
    const joined = await db
      .collection('lookup_people')
      .aggregate()
      .match({ pid: 'p1' })
      .lookup({ from: 'lookup_orders', localField: 'pid', foreignField: 'pid', as: 'orders' })
      .unwind('$orders')
      .project({ _id: 0, pid: 1, fee: '$orders.fee' })
      .sort({ fee: 1 })
      .end();
    expect(joined.list).toEqual([
      { pid: 'p1', fee: 20 },
      { pid: 'p1', fee: 380 },
    ]);
    const counted = await orders.aggregate().match({ pid: 'p1' }).count('n').end();
    expect(counted.list).toEqual([{ n: 2 }]);
  });

  test('unique indexes from cloudfunctions/indexes.json: insert, update and compound keys', async () => {
    const persons = db.collection('persons');
    const a = await persons.add({ data: { idHash: 'hash-a' } });
    const dup = await expectErr(persons.add({ data: { idHash: 'hash-a' } }));
    expect(dup.errCode).toBe(-502001);
    expect(dup.errMsg).toMatch(/E11000 duplicate key error/);
    const b = await persons.add({ data: { idHash: 'hash-b' } });
    const dupUpdate = await expectErr(persons.doc(b._id).update({ data: { idHash: 'hash-a' } }));
    expect(dupUpdate.errMsg).toMatch(/E11000/);
    await persons.doc(a._id).update({ data: { idHash: 'hash-a', other: 1 } }); // same key, same doc: fine

    const enr = db.collection('enrollments');
    await enr.add({ data: { personId: 'P1', benefitYear: 2024 } });
    await enr.add({ data: { personId: 'P1', benefitYear: 2025 } });
    await enr.add({ data: { personId: 'P2', benefitYear: 2024 } });
    expect((await expectErr(enr.add({ data: { personId: 'P1', benefitYear: 2024 } }))).errMsg).toMatch(/personId_benefitYear_unique/);
  });

  test('transactions: commit, snapshot reads, rollback on error', async () => {
    const acc = db.collection('tx_accounts');
    const a = await acc.add({ data: { code: 'A', balance: 100 } });
    const b = await acc.add({ data: { code: 'B', balance: 0 } });
    await db.runTransaction(async (t: any) => {
      const x = (await t.collection('tx_accounts').doc(a._id).get()).data;
      await t.collection('tx_accounts').doc(a._id).update({ data: { balance: x.balance - 30 } });
      await t.collection('tx_accounts').doc(b._id).update({ data: { balance: _.inc(30) } });
      await t.collection('tx_accounts').add({ data: { code: 'C', balance: 1 } });
    });
    expect((await acc.doc(a._id).get()).data.balance).toBe(70);
    expect((await acc.doc(b._id).get()).data.balance).toBe(30);
    expect((await acc.where({ code: 'C' }).count()).total).toBe(1);

    // Snapshot read: a write outside the transaction after it started is not seen.
    const t = await db.startTransaction();
    expect((await t.collection('tx_accounts').doc(b._id).get()).data.balance).toBe(30);
    await acc.doc(a._id).update({ data: { balance: 71 } });
    expect((await t.collection('tx_accounts').doc(a._id).get()).data.balance).toBe(70);
    await t.rollback();

    // Rollback on error: nothing of the transaction is applied.
    await expect(
      db.runTransaction(async (tx: any) => {
        await tx.collection('tx_accounts').doc(a._id).update({ data: { balance: 0 } });
        await tx.collection('tx_accounts').add({ data: { code: 'D' } });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect((await acc.doc(a._id).get()).data.balance).toBe(71);
    expect((await acc.where({ code: 'D' }).count()).total).toBe(0);

    // A unique violation inside a transaction aborts it.
    await expect(
      db.runTransaction(async (tx: any) => {
        await tx.collection('tx_accounts').doc(b._id).update({ data: { balance: 999 } });
        await tx.collection('tx_accounts').add({ data: { code: 'A' } });
      }),
    ).rejects.toMatchObject({ errMsg: expect.stringMatching(/E11000/) });
    expect((await acc.doc(b._id).get()).data.balance).toBe(30);
  });

  test('transactions: a conflicting write fails like the cloud', async () => {
    const acc = db.collection('tx_accounts');
    const a = await acc.add({ data: { code: 'X', balance: 10 } });
    const t1 = await db.startTransaction();
    const t2 = await db.startTransaction();
    await t1.collection('tx_accounts').doc(a._id).update({ data: { balance: 11 } });
    const err = await expectErr(t2.collection('tx_accounts').doc(a._id).update({ data: { balance: 12 } }));
    expect(err.errMsg).toMatch(/TransactionConflict|WriteConflict/);
    await t2.rollback();
    await t1.commit();
    expect((await acc.doc(a._id).get()).data.balance).toBe(11);

    // A write outside the transaction after it began makes its write conflict too.
    const t3 = await db.startTransaction();
    await acc.doc(a._id).update({ data: { balance: 50 } });
    const err3 = await expectErr(t3.collection('tx_accounts').doc(a._id).update({ data: { balance: 1 } }));
    expect(err3.errMsg).toMatch(/TransactionConflict/);
    await t3.rollback();
    expect((await acc.doc(a._id).get()).data.balance).toBe(50);
  });

  test('transactions take single-document operations only', async () => {
    const t = await db.startTransaction();
    const err = await expectErr(t.collection('tx_accounts').where({ code: 'A' }).get());
    expect(err.errCode).toBeLessThan(0);
    await t.rollback();
  });
});

describe('storage', () => {
  test('upload (getUploadMetadata + PUT), temp URL that expires, download, delete', async () => {
    const content = Buffer.from('%PDF-1.4 fake id document');
    const up = await cloud.uploadFile({ cloudPath: 'id-docs/o123/front.pdf', fileContent: content });
    expect(up.fileID).toBe('cloud://local.local-bucket/id-docs/o123/front.pdf');
    const meta: any = lc.store.getById('$files', up.fileID);
    expect(meta).toMatchObject({ size: content.length, contentType: 'application/pdf' });

    const tmp = await cloud.getTempFileURL({ fileList: [{ fileID: up.fileID, maxAge: 60 }] });
    const url = tmp.fileList[0].tempFileURL;
    expect(tmp.fileList[0].status).toBe(0);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(content);
    expect((await cloud.downloadFile({ fileID: up.fileID })).fileContent).toEqual(content);

    const tampered = url.replace(/sign=[^&]+/, 'sign=AAAA');
    expect((await fetch(tampered)).status).toBe(403);
    lc.clock.set(new Date(lc.clock.now().getTime() + 61_000));
    expect((await fetch(url)).status).toBe(403);

    const missing = await cloud.getTempFileURL({ fileList: ['cloud://local.local-bucket/none.png'] });
    expect(missing.fileList[0].status).not.toBe(0);

    const del = await cloud.deleteFile({ fileList: [up.fileID] });
    expect(del.fileList[0].status).toBe(0);
    const again = await cloud.getTempFileURL({ fileList: [up.fileID] });
    expect(again.fileList[0].status).not.toBe(0);
  });
});

describe('pay', () => {
  test('unifiedOrder / queryOrder / closeOrder', async () => {
    const order = await cloud.cloudPay.unifiedOrder({
      body: '居民医保',
      outTradeNo: 'CONTRACT-1',
      spbillCreateIp: '127.0.0.1',
      subMchId: '1900000109',
      totalFee: 38000,
      envId: 'local',
      functionName: 'pay_callback',
      nonceStr: 'n1',
      tradeType: 'JSAPI',
    });
    expect(order).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS', errCode: 0 });
    expect(order.payment).toMatchObject({ package: expect.stringMatching(/^prepay_id=/), signType: 'MD5' });

    const again = await cloud.cloudPay.unifiedOrder({
      body: '居民医保',
      outTradeNo: 'CONTRACT-1',
      spbillCreateIp: '127.0.0.1',
      subMchId: '1900000109',
      totalFee: 1,
      envId: 'local',
      functionName: 'pay_callback',
      nonceStr: 'n1',
      tradeType: 'JSAPI',
    });
    expect(again).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'FAIL', errCode: 0 });

    const q = await cloud.cloudPay.queryOrder({ subMchId: '1900000109', outTradeNo: 'CONTRACT-1', nonceStr: 'n' });
    expect(q).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS', tradeState: 'NOTPAY', totalFee: 38000 });
    // WeChat Pay closes an order only once it is 5 minutes old.
    const early = await cloud.cloudPay.closeOrder({ subMchId: '1900000109', outTradeNo: 'CONTRACT-1', nonceStr: 'n' });
    expect(early).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'FAIL' });
    expect((await cloud.cloudPay.queryOrder({ subMchId: '1900000109', outTradeNo: 'CONTRACT-1', nonceStr: 'n' })).tradeState).toBe('NOTPAY');
    lc.clock.set(new Date(lc.clock.now().getTime() + 5 * 60_000));
    const c = await cloud.cloudPay.closeOrder({ subMchId: '1900000109', outTradeNo: 'CONTRACT-1', nonceStr: 'n' });
    expect(c).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS' });
    expect((await cloud.cloudPay.queryOrder({ subMchId: '1900000109', outTradeNo: 'CONTRACT-1', nonceStr: 'n' })).tradeState).toBe('CLOSED');
    const none = await cloud.cloudPay.queryOrder({ subMchId: '1900000109', outTradeNo: 'NOPE', nonceStr: 'n' });
    expect(none).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'FAIL' });
  });
});

describe('functions', () => {
  test('cloud.callFunction (functions.invokeFunction) runs the function in a worker', async () => {
    const r = await cloud.callFunction({ name: 'whoami', data: { echo: 'hi' } });
    expect(r.result).toMatchObject({ echo: 'hi', openid: null, env: 'local', hasKeys: true });
    expect(r.result.now.slice(0, 4)).toBe('2023');
    const missing = await expectErr(cloud.callFunction({ name: 'no_such_function', data: {} }));
    expect(missing.errMsg).toMatch(/no_such_function/);
    const crashed = await expectErr(cloud.callFunction({ name: 'crash', data: {} }));
    expect(crashed.errMsg).toMatch(/FunctionExecuteFail|boom/);
  });
});

describe('protocol (runs last)', () => {
test('actions and request keys the pinned SDK sends', () => {
  const protocol: Record<string, string[]> = {};
  for (const action of [...seen.keys()].sort()) protocol[action] = [...seen.get(action)!].filter((k) => !VOLATILE.has(k)).sort();
  expect(protocol).toMatchSnapshot('wx-server-sdk 4.0.2 protocol');
  expect(require('wx-server-sdk/package.json').version).toBe('4.0.2');
});
});

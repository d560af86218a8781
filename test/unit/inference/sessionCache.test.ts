import * as assert from 'assert';
import { SessionCache } from '../../../src/inference/sessionCache';

function fakeModel(name: string, released: string[]) {
  return { name, release: () => void released.push(name) };
}

describe('SessionCache', () => {
  it('loads once per key and evicts the least recently used over capacity', async () => {
    const released: string[] = [];
    let loads = 0;
    const cache = new SessionCache<ReturnType<typeof fakeModel>>(2, 60_000);
    const load = (name: string) => () => (loads++, Promise.resolve(fakeModel(name, released)));
    await cache.get('a', load('a'));
    await cache.get('b', load('b'));
    await cache.get('a', load('a')); // a is now most recent
    await cache.get('c', load('c'));
    await new Promise((r) => setImmediate(r));
    assert.strictEqual(loads, 3);
    assert.deepStrictEqual(released, ['b']);
    assert.deepStrictEqual(cache.keys(), ['a', 'c']);
  });

  it('releases entries idle for longer than idleMs', async () => {
    let now = 0;
    const released: string[] = [];
    const cache = new SessionCache<ReturnType<typeof fakeModel>>(4, 1000, () => now);
    await cache.get('a', async () => fakeModel('a', released));
    now = 500;
    await cache.get('b', async () => fakeModel('b', released));
    now = 1200;
    assert.strictEqual(cache.evictIdle(), 1);
    await new Promise((r) => setImmediate(r));
    assert.deepStrictEqual(released, ['a']);
    assert.deepStrictEqual(cache.keys(), ['b']);
  });

  it('does not cache a failed load', async () => {
    const cache = new SessionCache<ReturnType<typeof fakeModel>>(2, 1000);
    await assert.rejects(cache.get('x', () => Promise.reject(new Error('no'))));
    await new Promise((r) => setImmediate(r));
    assert.strictEqual(cache.size, 0);
  });

  it('releaseAll waits for every release', async () => {
    const released: string[] = [];
    const cache = new SessionCache<{ release(): Promise<void> }>(4, 1000);
    const slow = (name: string) => async () => ({
      release: () => new Promise<void>((r) => setTimeout(() => (released.push(name), r()), 5)),
    });
    await cache.get('a', slow('a'));
    await cache.get('b', slow('b'));
    await cache.releaseAll();
    assert.deepStrictEqual(released.sort(), ['a', 'b']);
    assert.strictEqual(cache.size, 0);
  });
});

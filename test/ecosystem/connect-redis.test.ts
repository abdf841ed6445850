/**
 * connect-redis with express-session (express 5, node-redis client): a login
 * stores the session under `sess:<id>` with the cookie's TTL, the cookie
 * reads it back, an unmodified request touches it (EXPIRE back to the full
 * TTL), the store's SCAN-based listing sees it, and logout destroys it.
 */

import { expect } from 'chai';
import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import { createClient } from 'redis';
import { listen, onBoth, until } from './harness.js';

declare module 'express-session' {
  interface SessionData { user: string; views: number }
}

onBoth('connect-redis + express-session', (t) => {
  let client: ReturnType<typeof createClient>;
  let app: { base: string; close(): Promise<void> };
  let store: RedisStore;

  before(async () => {
    client = createClient({ url: t.url });
    await client.connect();
    await client.flushAll();
    store = new RedisStore({ client, prefix: 'sess:' });
    const a = express();
    a.use(express.json());
    a.use(session({ store, secret: 'test secret', resave: false, saveUninitialized: false, name: 'sid', cookie: { maxAge: 600_000 } }));
    a.post('/login', (req, res) => {
      req.session.user = (req.body as { user: string }).user;
      req.session.views = 0;
      res.json({ ok: true });
    });
    a.get('/me', (req, res) => {
      if (req.session.user === undefined) { res.status(401).json({ user: null }); return; }
      res.json({ user: req.session.user });
    });
    a.post('/view', (req, res) => {
      req.session.views = (req.session.views ?? 0) + 1;
      res.json({ views: req.session.views });
    });
    a.post('/logout', (req, res) => { req.session.destroy(() => res.json({ ok: true })); });
    app = await listen(a);
  });
  after(async () => {
    await app.close();
    await client.close();
  });

  it('login, read back with the cookie, modify, touch, list, logout', async () => {
    const login = await fetch(`${app.base}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'alice' }) });
    expect(login.status).to.equal(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).to.match(/^sid=s%3A/);
    const sid = decodeURIComponent(cookie.slice('sid=s:'.length + 2)).split('.')[0]!;

    // The session is in the store, with the cookie's TTL (600 s).
    const stored = JSON.parse((await client.get(`sess:${sid}`))!) as { user: string; views: number; cookie: { originalMaxAge: number } };
    expect(stored.user).to.equal('alice');
    expect(stored.views).to.equal(0);
    expect(stored.cookie.originalMaxAge).to.equal(600_000);
    expect(await client.ttl(`sess:${sid}`)).to.be.within(599, 600);

    // Read back with the cookie; without it, nobody.
    expect(await (await fetch(`${app.base}/me`, { headers: { cookie } })).json()).to.deep.equal({ user: 'alice' });
    const anon = await fetch(`${app.base}/me`);
    expect(anon.status).to.equal(401);

    // A modifying request rewrites the session (SET ... EX).
    expect(await (await fetch(`${app.base}/view`, { method: 'POST', headers: { cookie } })).json()).to.deep.equal({ views: 1 });
    expect(await (await fetch(`${app.base}/view`, { method: 'POST', headers: { cookie } })).json()).to.deep.equal({ views: 2 });
    expect((JSON.parse((await client.get(`sess:${sid}`))!) as { views: number }).views).to.equal(2);

    // An unmodified request touches it: EXPIRE back to the full TTL.
    expect(await client.expire(`sess:${sid}`, 5)).to.equal(1);
    expect(await client.ttl(`sess:${sid}`)).to.equal(5);
    expect((await fetch(`${app.base}/me`, { headers: { cookie } })).status).to.equal(200);
    expect(await client.ttl(`sess:${sid}`)).to.be.within(599, 600);

    // The store's listing (SCAN MATCH sess:* + MGET) sees exactly this session.
    expect(await new Promise((resolve, reject) => store.length((e, n) => (e ? reject(e) : resolve(n))))).to.equal(1);
    expect(await store.ids()).to.deep.equal([sid]);
    const all = (await store.all()) as Array<{ id: string; user: string }>;
    expect(all.map((s) => [s.id, s.user])).to.deep.equal([[sid, 'alice']]);

    // Logout destroys it: the key is gone and the cookie no longer logs in.
    expect((await fetch(`${app.base}/logout`, { method: 'POST', headers: { cookie } })).status).to.equal(200);
    expect(await client.exists(`sess:${sid}`)).to.equal(0);
    expect((await fetch(`${app.base}/me`, { headers: { cookie } })).status).to.equal(401);
  });

  it('sessions expire with their cookie, and clear() removes every session', async () => {
    const cookies: string[] = [];
    for (const user of ['bob', 'carol', 'dave']) {
      const r = await fetch(`${app.base}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }) });
      cookies.push(r.headers.get('set-cookie')!.split(';')[0]!);
    }
    expect(await store.length()).to.equal(3);
    // One session expires (PEXPIRE 1 ms stands in for the cookie's end): it reads as logged out.
    const sid0 = decodeURIComponent(cookies[0]!.slice('sid=s:'.length + 2)).split('.')[0]!;
    await client.pExpire(`sess:${sid0}`, 1);
    await until(async () => (await client.exists(`sess:${sid0}`)) === 0, 'the session key expired');
    expect((await fetch(`${app.base}/me`, { headers: { cookie: cookies[0]! } })).status).to.equal(401);
    expect(await store.length()).to.equal(2);
    await store.clear();
    expect(await client.keys('sess:*')).to.deep.equal([]);
    expect((await fetch(`${app.base}/me`, { headers: { cookie: cookies[1]! } })).status).to.equal(401);
  });
});

// Every PersonalAccessTokens method of @gitbeaker/rest 43 against Latchkey's GitLab dialect.
import test from 'node:test';
import assert from 'node:assert/strict';
import { admin, createdAtFormat, dateFromToday, entityFields, eventually, failure, gitlab, unique, user, userId } from './gitlab-client.mjs';

test('all() lists only the caller\'s tokens, as GitLab entities without secrets', async () => {
  const tokens = await user().PersonalAccessTokens.all();

  assert.ok(tokens.length >= 1);
  for (const token of tokens) {
    assert.deepEqual(Object.keys(token).sort(), entityFields);
    assert.equal(token.user_id, userId);
    assert.match(token.created_at, createdAtFormat);
    assert.equal(token.token, undefined);
  }
});

test('create() issues a token for a user through the administrators\' endpoint', async () => {
  const name = unique('create');
  const created = await admin().PersonalAccessTokens.create(userId, name, ['read_api', 'read_user'], { expiresAt: dateFromToday(20) });

  assert.equal(created.name, name);
  assert.equal(created.user_id, userId);
  assert.deepEqual(created.scopes, ['read_api', 'read_user']);
  assert.equal(created.expires_at, dateFromToday(20));
  assert.equal(created.revoked, false);
  assert.equal(created.active, true);
  assert.match(created.token, /^glpat-/);

  const me = await gitlab(created.token).Users.showCurrentUser();
  assert.equal(me.id, userId);
});

test('show() finds a token by id, and without one shows the token making the request', async () => {
  const created = await admin().PersonalAccessTokens.create(userId, unique('show'), ['read_api']);

  const byId = await user().PersonalAccessTokens.show({ tokenId: created.id });
  const self = await gitlab(created.token).PersonalAccessTokens.show();

  assert.equal(byId.id, created.id);
  assert.equal(byId.token, undefined);
  assert.equal(self.id, created.id);
  const seen = await user().PersonalAccessTokens.show({ tokenId: created.id });
  assert.deepEqual(seen.last_used_ips, ['127.0.0.1']);
  assert.match(seen.last_used_at, createdAtFormat);
});

test('all() applies GitLab\'s filters', async () => {
  const prefix = unique('filter');
  const client = admin().PersonalAccessTokens;
  const kept = await client.create(userId, `${prefix} kept`, ['read_api'], { expiresAt: dateFromToday(40) });
  const gone = await client.create(userId, `${prefix} gone`, ['read_api'], { expiresAt: dateFromToday(4) });
  await client.remove({ tokenId: gone.id });

  const ids = async (options) => (await client.all({ userId, search: prefix, ...options })).map((t) => t.id);

  assert.deepEqual(await ids({}), [kept.id, gone.id]);
  assert.deepEqual(await ids({ state: 'active' }), [kept.id]);
  assert.deepEqual(await ids({ state: 'inactive' }), [gone.id]);
  assert.deepEqual(await ids({ revoked: true }), [gone.id]);
  assert.deepEqual(await ids({ revoked: false }), [kept.id]);
  assert.deepEqual(await ids({ createdAfter: '2000-01-01T00:00:00Z' }), [kept.id, gone.id]);
  assert.deepEqual(await ids({ createdBefore: '2000-01-01T00:00:00Z' }), []);
  assert.deepEqual(await ids({ expiresBefore: dateFromToday(10) }), [gone.id]);
  assert.deepEqual(await ids({ expiresAfter: dateFromToday(10) }), [kept.id]);

  await gitlab(kept.token).PersonalAccessTokens.show();
  await eventually(async () => assert.deepEqual(await ids({ lastUsedAfter: '2000-01-01T00:00:00Z' }), [kept.id]));
  assert.deepEqual(await ids({ lastUsedBefore: '2000-01-01T00:00:00Z' }), []);
});

test('rotate() replaces a token: the new one works and lives a week, the old one is refused', async () => {
  const created = await admin().PersonalAccessTokens.create(userId, unique('rotate'), ['read_api']);

  const rotated = await user().PersonalAccessTokens.rotate(created.id);

  assert.notEqual(rotated.id, created.id);
  assert.equal(rotated.name, created.name);
  assert.ok([dateFromToday(7), dateFromToday(8)].includes(rotated.expires_at), rotated.expires_at);
  assert.match(rotated.token, /^glpat-/);
  assert.equal((await gitlab(rotated.token).PersonalAccessTokens.show()).id, rotated.id);
  const error = await failure(gitlab(created.token).PersonalAccessTokens.show(), 401);
  assert.equal(error.cause.description, '401 Unauthorized');
});

test("rotate(), the old token refused, then rotate('self') with the new one succeeds", async () => {
  const created = await admin().PersonalAccessTokens.create(userId, unique('rotate-then-self'), ['read_api', 'self_rotate']);
  const rotated = await user().PersonalAccessTokens.rotate(created.id);
  await failure(gitlab(created.token).PersonalAccessTokens.show(), 401);

  const again = await gitlab(rotated.token).PersonalAccessTokens.rotate('self');

  assert.notEqual(again.id, rotated.id);
  assert.deepEqual(again.scopes, ['read_api', 'self_rotate']);
  assert.equal((await gitlab(again.token).PersonalAccessTokens.show()).id, again.id);
});

test("rotate('self') with a rotated-away token is a reuse: refused, and the family is revoked", async () => {
  const created = await admin().PersonalAccessTokens.create(userId, unique('reuse'), ['read_api', 'self_rotate']);
  const rotated = await user().PersonalAccessTokens.rotate(created.id);

  const error = await failure(gitlab(created.token).PersonalAccessTokens.rotate('self'), 401);

  assert.equal(error.cause.description, '401 Unauthorized');
  await failure(gitlab(rotated.token).PersonalAccessTokens.show(), 401);
  assert.equal((await user().PersonalAccessTokens.show({ tokenId: rotated.id })).revoked, true);
});

test('rotate() takes an expiry', async () => {
  const created = await admin().PersonalAccessTokens.create(userId, unique('rotate-expiry'), ['read_api']);

  const rotated = await user().PersonalAccessTokens.rotate(created.id, { expiresAt: dateFromToday(3) });

  assert.equal(rotated.expires_at, dateFromToday(3));
});

test("rotate('self') lets a token with self_rotate replace itself", async () => {
  const created = await admin().PersonalAccessTokens.create(userId, unique('self-rotate'), ['self_rotate']);

  const rotated = await gitlab(created.token).PersonalAccessTokens.rotate('self');

  assert.deepEqual(rotated.scopes, ['self_rotate']);
  assert.equal((await user().PersonalAccessTokens.show({ tokenId: created.id })).revoked, true);
});

test('remove() revokes a token by id, and without one the token making the request', async () => {
  const byId = await admin().PersonalAccessTokens.create(userId, unique('remove'), ['read_api']);
  const self = await admin().PersonalAccessTokens.create(userId, unique('remove-self'), ['read_api']);

  await user().PersonalAccessTokens.remove({ tokenId: byId.id });
  await gitlab(self.token).PersonalAccessTokens.remove();

  for (const token of [byId, self]) {
    const shown = await user().PersonalAccessTokens.show({ tokenId: token.id });
    assert.equal(shown.revoked, true);
    assert.equal(shown.active, false);
    await failure(gitlab(token.token).Users.showCurrentUser(), 401);
  }
});

// The Users methods GitLab clients call to learn who they are and to create tokens for a user.
import test from 'node:test';
import assert from 'node:assert/strict';
import { admin, createdAtFormat, dateFromToday, gitlab, unique, user, userId } from './gitlab-client.mjs';

test('showCurrentUser() describes the token\'s owner', async () => {
  const me = await user().Users.showCurrentUser();

  assert.equal(me.id, userId);
  assert.equal(me.state, 'active');
  assert.match(me.username, /^user-/);
  assert.match(me.created_at, createdAtFormat);
  assert.equal(me.is_admin, undefined);
});

test('an administrator is told so, and sees any user with show()', async () => {
  const me = await admin().Users.showCurrentUser();
  const other = await admin().Users.show(userId);

  assert.equal(me.is_admin, true);
  assert.equal(other.id, userId);
  assert.equal(other.is_admin, false);
});

test('show() of oneself works for a non-administrator', async () => {
  const self = await user().Users.show(userId);

  assert.equal(self.id, userId);
});

test('createPersonalAccessToken() creates a token for the user with a description and expiry', async () => {
  const name = unique('users-create');

  const created = await admin().Users.createPersonalAccessToken(userId, name, ['api'], { expiresAt: dateFromToday(30), description: 'from gitbeaker' });

  assert.deepEqual(Object.keys(created).sort(), ['active', 'created_at', 'description', 'expires_at', 'id', 'last_used_at', 'last_used_ips', 'name', 'revoked', 'scopes', 'token', 'user_id']);
  assert.equal(created.name, name);
  assert.equal(created.description, 'from gitbeaker');
  assert.equal(created.expires_at, dateFromToday(30));
  assert.deepEqual(created.scopes, ['api']);
  assert.equal((await gitlab(created.token).Users.showCurrentUser()).id, userId);
});

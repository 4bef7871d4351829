// How GitLab's error answers surface through gitbeaker: GitbeakerRequestError with the status and GitLab's text.
import test from 'node:test';
import assert from 'node:assert/strict';
import { admin, dateFromToday, failure, gitlab, unique, user, userId } from './gitlab-client.mjs';

test('an unknown token is 401 Unauthorized', async () => {
  const error = await failure(gitlab('glpat-not-a-real-token').Users.showCurrentUser(), 401);

  assert.equal(error.cause.description, '401 Unauthorized');
});

test('a token without the scope is 403 insufficient_scope', async () => {
  const k8s = await admin().Users.createPersonalAccessToken(userId, unique('k8s'), ['k8s_proxy']);

  const error = await failure(gitlab(k8s.token).Users.showCurrentUser(), 403);

  assert.equal(error.cause.description, 'insufficient_scope');
  await failure(gitlab(k8s.token).PersonalAccessTokens.all(), 403);
});

test('a non-administrator on the administrators\' endpoint is 403 Forbidden', async () => {
  const error = await failure(user().Users.createPersonalAccessToken(userId, unique('nope'), ['api']), 403);

  assert.equal(error.cause.description, '403 Forbidden');
});

test('unknown tokens and users are 404 with GitLab\'s resource names', async () => {
  const token = await failure(user().PersonalAccessTokens.show({ tokenId: 987654321 }), 404);
  const rotate = await failure(user().PersonalAccessTokens.rotate(987654321), 404);
  const remove = await failure(user().PersonalAccessTokens.remove({ tokenId: 987654321 }), 404);
  const person = await failure(admin().Users.show(987654321), 404);

  assert.equal(token.cause.description, '404 Personal Access Token Not Found');
  assert.equal(rotate.cause.description, '404 Personal Access Token Not Found');
  assert.equal(remove.cause.description, '404 Personal Access Token Not Found');
  assert.equal(person.cause.description, '404 User Not Found');
});

test('bad input is 400 in GitLab\'s words', async () => {
  const scope = await failure(admin().PersonalAccessTokens.create(userId, unique('bad'), ['everything']), 400);
  const expiry = await failure(admin().PersonalAccessTokens.create(userId, unique('bad'), ['api'], { expiresAt: dateFromToday(500) }), 400);
  const revoked = await admin().PersonalAccessTokens.create(userId, unique('revoked'), ['read_api']);
  await admin().PersonalAccessTokens.remove({ tokenId: revoked.id });
  const rotate = await failure(admin().PersonalAccessTokens.rotate(revoked.id), 400);

  assert.equal(scope.cause.description, 'scopes does not have a valid value');
  assert.equal(expiry.cause.description, `Expiration date must be before ${dateFromToday(365)}`);
  assert.equal(rotate.cause.description, '400 Bad request - token already revoked');
});

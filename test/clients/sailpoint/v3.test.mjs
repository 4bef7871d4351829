// PersonalAccessTokensApi (v3) of sailpoint-api-client against Latchkey, signed in the SDK's own way.
import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import { PersonalAccessTokensApi } from 'sailpoint-api-client';
import { signIn, uniqueName, future } from './environment.mjs';

describe('PersonalAccessTokensApi (v3)', () => {
  let api;

  before(async () => {
    const configuration = signIn();
    assert.equal(typeof (await configuration.accessToken), 'string');
    api = new PersonalAccessTokensApi(configuration);
  });

  it('creates a token and answers 200 with the secret once', async () => {
    const name = uniqueName('v3-create');
    const expirationDate = future();
    const { status, data } = await api.createPersonalAccessToken({
      createPersonalAccessTokenRequest: { name, accessTokenValiditySeconds: 900, expirationDate },
    });

    assert.equal(status, 200);
    assert.match(data.id, /^[0-9a-f]{32}$/);
    assert.equal(typeof data.secret, 'string');
    assert.equal(data.name, name);
    assert.deepEqual(data.scope, ['sp:scopes:all']);
    assert.equal(data.owner.type, 'IDENTITY');
    assert.equal(data.accessTokenValiditySeconds, 900);
    assert.equal(data.expirationDate, expirationDate);
    assert.equal(data.userAwareTokenNeverExpires, false);
    assert.match(data.created, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('lists own tokens without secrets, and filters by last use', async () => {
    const name = uniqueName('v3-list');
    const { data: created } = await api.createPersonalAccessToken({
      createPersonalAccessTokenRequest: { name, scope: ['sp:scopes:default'], userAwareTokenNeverExpires: true },
    });

    const { status, data } = await api.listPersonalAccessTokens({ ownerId: 'me' });
    assert.equal(status, 200);
    const listed = data.find((t) => t.id === created.id);
    assert.ok(listed, 'the new token is listed');
    assert.equal(listed.name, name);
    assert.deepEqual(listed.scope, ['sp:scopes:default']);
    assert.equal(listed.managed, false);
    assert.equal(listed.lastUsed, null);
    assert.equal(listed.expirationDate, null);
    assert.equal(listed.userAwareTokenNeverExpires, true);
    assert.equal('secret' in listed, false);

    const { data: neverUsed } = await api.listPersonalAccessTokens({ ownerId: 'me', filters: 'lastUsed isnull' });
    assert.ok(neverUsed.some((t) => t.id === created.id));
    const { data: usedLongAgo } = await api.listPersonalAccessTokens({ ownerId: 'me', filters: 'lastUsed le 2020-01-01T00:00:00.000Z' });
    assert.equal(usedLongAgo.some((t) => t.id === created.id), false);
  });

  it('patches name and scope with JSON Patch', async () => {
    const { data: created } = await api.createPersonalAccessToken({
      createPersonalAccessTokenRequest: { name: uniqueName('v3-patch'), userAwareTokenNeverExpires: true },
    });
    const renamed = uniqueName('v3-renamed');

    const { status, data } = await api.patchPersonalAccessToken({
      id: created.id,
      jsonPatchOperation: [
        { op: 'replace', path: '/name', value: renamed },
        { op: 'replace', path: '/scope', value: ['sp:my-personal-access-tokens:manage'] },
      ],
    });

    assert.equal(status, 200);
    assert.equal(data.id, created.id);
    assert.equal(data.name, renamed);
    assert.deepEqual(data.scope, ['sp:my-personal-access-tokens:manage']);
  });

  it('deletes a token with 204, after which it is not found', async () => {
    const { data: created } = await api.createPersonalAccessToken({
      createPersonalAccessTokenRequest: { name: uniqueName('v3-delete'), userAwareTokenNeverExpires: true },
    });

    const { status } = await api.deletePersonalAccessToken({ id: created.id });
    assert.equal(status, 204);

    await assert.rejects(api.deletePersonalAccessToken({ id: created.id }), (error) => {
      assert.equal(error.response.status, 404);
      assert.equal(error.response.data.detailCode, '404 Not found');
      return true;
    });
  });

  it('surfaces SailPoint errors: a never-expiring token needs the acknowledgement, names are unique', async () => {
    const name = uniqueName('v3-errors');
    await assert.rejects(api.createPersonalAccessToken({ createPersonalAccessTokenRequest: { name } }), (error) => {
      assert.equal(error.response.status, 400);
      assert.equal(error.response.data.detailCode, '400.1 Bad Request Content');
      assert.match(error.response.data.trackingId, /^[0-9a-f]{32}$/);
      assert.equal(error.response.data.messages[0].locale, 'en-US');
      return true;
    });

    await api.createPersonalAccessToken({ createPersonalAccessTokenRequest: { name, userAwareTokenNeverExpires: true } });
    await assert.rejects(
      api.createPersonalAccessToken({ createPersonalAccessTokenRequest: { name, userAwareTokenNeverExpires: true } }),
      (error) => {
        assert.equal(error.response.status, 400);
        assert.equal(error.response.data.detailCode, '400.1.409 Reference conflict');
        return true;
      },
    );
  });
});

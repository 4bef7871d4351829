// PersonalAccessTokensBetaApi and PersonalAccessTokensV2024Api: the same resource under /beta and /v2024.
import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import { PersonalAccessTokensApi, PersonalAccessTokensBetaApi, PersonalAccessTokensV2024Api } from 'sailpoint-api-client';
import { signIn, uniqueName } from './environment.mjs';

describe('PersonalAccessTokensBetaApi', () => {
  let beta;
  let v3;
  let v2024;

  before(() => {
    const configuration = signIn();
    beta = new PersonalAccessTokensBetaApi(configuration);
    v3 = new PersonalAccessTokensApi(configuration);
    v2024 = new PersonalAccessTokensV2024Api(configuration);
  });

  it('creates, lists, patches and deletes, and v3 and v2024 see the same tokens', async () => {
    const name = uniqueName('beta');
    const { status, data: created } = await beta.createPersonalAccessToken({
      createPersonalAccessTokenRequestBeta: { name, scope: ['sp:scopes:all'], userAwareTokenNeverExpires: true },
    });
    assert.equal(status, 200);
    assert.match(created.id, /^[0-9a-f]{32}$/);
    assert.equal(created.expirationDate, null);

    for (const list of [
      () => beta.listPersonalAccessTokens({ ownerId: 'me' }),
      () => v3.listPersonalAccessTokens({ ownerId: 'me' }),
      () => v2024.listPersonalAccessTokens({ ownerId: 'me' }),
    ]) {
      const { data } = await list();
      assert.ok(data.some((t) => t.id === created.id && t.name === name));
    }

    const renamed = uniqueName('beta-renamed');
    const { data: patched } = await beta.patchPersonalAccessToken({
      id: created.id,
      jsonPatchOperationBeta: [{ op: 'replace', path: '/name', value: renamed }],
    });
    assert.equal(patched.name, renamed);

    const { status: deleted } = await beta.deletePersonalAccessToken({ id: created.id });
    assert.equal(deleted, 204);
    const { data: after } = await v2024.listPersonalAccessTokens({ ownerId: 'me' });
    assert.equal(after.some((t) => t.id === created.id), false);
  });

  it('refuses operations other than replace', async () => {
    const { data: created } = await beta.createPersonalAccessToken({
      createPersonalAccessTokenRequestBeta: { name: uniqueName('beta-add'), userAwareTokenNeverExpires: true },
    });

    await assert.rejects(
      beta.patchPersonalAccessToken({ id: created.id, jsonPatchOperationBeta: [{ op: 'add', path: '/name', value: 'x' }] }),
      (error) => {
        assert.equal(error.response.status, 400);
        assert.equal(error.response.data.detailCode, '400.1 Bad Request Content');
        return true;
      },
    );
  });
});

// The SDK's client-credentials sign-in (Configuration → POST /oauth/token) with PATs made through the SDK.
import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import { PersonalAccessTokensApi } from 'sailpoint-api-client';
import { baseurl, signIn, uniqueName } from './environment.mjs';

describe('signing in with a personal access token', () => {
  let admin;

  before(() => {
    admin = new PersonalAccessTokensApi(signIn());
  });

  it('a new PAT signs the SDK in, with exactly its scopes, until it is deleted', async () => {
    const { data: pat } = await admin.createPersonalAccessToken({
      createPersonalAccessTokenRequest: {
        name: uniqueName('sign-in'),
        scope: ['sp:my-personal-access-tokens:manage'],
        accessTokenValiditySeconds: 120,
        userAwareTokenNeverExpires: true,
      },
    });

    const configuration = signIn(pat.id, pat.secret);
    const accessToken = await configuration.accessToken;
    assert.equal(typeof accessToken, 'string');
    assert.notEqual(accessToken, pat.secret);

    const own = new PersonalAccessTokensApi(configuration);
    const { data } = await own.listPersonalAccessTokens({ ownerId: 'me' });
    assert.ok(data.some((t) => t.id === pat.id));

    // Its scope does not reach everyone's tokens.
    await assert.rejects(own.listPersonalAccessTokens(), (error) => {
      assert.equal(error.response.status, 403);
      assert.equal(error.response.data.detailCode, '403 Forbidden');
      return true;
    });

    await admin.deletePersonalAccessToken({ id: pat.id });
    await assert.rejects(own.listPersonalAccessTokens({ ownerId: 'me' }), (error) => {
      assert.equal(error.response.status, 401);
      assert.equal(error.response.data.detailCode, '401 Unauthorized');
      return true;
    });
  });

  it('the token endpoint answers as SailPoint does', async () => {
    const { data: pat } = await admin.createPersonalAccessToken({
      createPersonalAccessTokenRequest: { name: uniqueName('token-endpoint'), accessTokenValiditySeconds: 300, userAwareTokenNeverExpires: true },
    });

    const response = await fetch(`${baseurl}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: pat.id, client_secret: pat.secret }),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const data = await response.json();
    assert.equal(data.token_type, 'bearer');
    assert.ok(data.expires_in > 290 && data.expires_in <= 300);
    assert.equal(data.scope, 'sp:scopes:all');
    assert.equal(data.identity_id, pat.owner.id);
  });

  it('a wrong secret fails the sign-in with invalid_client', async () => {
    const { data: pat } = await admin.createPersonalAccessToken({
      createPersonalAccessTokenRequest: { name: uniqueName('wrong-secret'), userAwareTokenNeverExpires: true },
    });
    const wrong = `${pat.secret.slice(0, -1)}${pat.secret.endsWith('0') ? '1' : '0'}`;

    const response = await fetch(`${baseurl}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: pat.id, client_secret: wrong }),
    });
    assert.equal(response.status, 401);
    const text = await response.text();
    assert.equal(JSON.parse(text).error, 'invalid_client');
    assert.equal(text.includes(wrong), false);

    // The SDK's own sign-in turns the refusal into a rejected accessToken.
    await assert.rejects(signIn(pat.id, wrong).accessToken);
  });
});

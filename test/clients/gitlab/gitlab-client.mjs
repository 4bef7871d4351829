// Shared by the GitLab client tests: the live Latchkey server and the tokens the .NET test arranged for them.
import assert from 'node:assert/strict';
import { Gitlab, GitbeakerRequestError } from '@gitbeaker/rest';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run these tests through GitLabClientTests.`);
  return value;
}

export const host = required('LATCHKEY_GITLAB_HOST');
export const adminToken = required('LATCHKEY_GITLAB_ADMIN_TOKEN');
export const userToken = required('LATCHKEY_GITLAB_USER_TOKEN');
export const userId = Number(required('LATCHKEY_GITLAB_USER_ID'));

/** A gitbeaker client that sends `token` the way gitbeaker does (PRIVATE-TOKEN). */
export const gitlab = (token) => new Gitlab({ host, token });

export const admin = () => gitlab(adminToken);
export const user = () => gitlab(userToken);

/** A name no other test (or test file running in parallel) uses. */
export const unique = (label) => `${label}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;

/** A date `days` from today (UTC) as GitLab writes expiry dates. */
export function dateFromToday(days) {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Awaits a call that must fail and returns gitbeaker's error, checked to be a request error with that status. */
export async function failure(promise, status) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }

  assert.ok(error, `expected the call to fail with ${status}`);
  assert.ok(error instanceof GitbeakerRequestError, `expected GitbeakerRequestError, got ${error}`);
  assert.equal(error.cause.response.status, status, `status for: ${error.cause.description}`);
  return error;
}

/** Retries `check` until it stops throwing, for values the server writes in the background (last use). */
export async function eventually(check, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export const createdAtFormat = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const entityFields = ['active', 'created_at', 'description', 'expires_at', 'id', 'last_used_at', 'last_used_ips', 'name', 'revoked', 'scopes', 'user_id'];

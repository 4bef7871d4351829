// gitbeaker's offset pagination (Link, X-Total, X-Next-Page …) over the token list.
import test, { before } from 'node:test';
import assert from 'node:assert/strict';
import { admin, unique, userId } from './gitlab-client.mjs';

const prefix = unique('page');
let ids = [];

before(async () => {
  for (let i = 0; i < 5; i += 1) {
    const created = await admin().PersonalAccessTokens.create(userId, `${prefix} ${i}`, ['read_api']);
    ids.push(created.id);
  }
});

test('all() follows the Link header through every page', async () => {
  const tokens = await admin().PersonalAccessTokens.all({ userId, search: prefix, perPage: 2 });

  assert.deepEqual(tokens.map((t) => t.id), ids);
});

test('maxPages stops after that many pages', async () => {
  const tokens = await admin().PersonalAccessTokens.all({ userId, search: prefix, perPage: 2, maxPages: 2 });

  assert.deepEqual(tokens.map((t) => t.id), ids.slice(0, 4));
});

test('a page asked for is the only page fetched', async () => {
  const tokens = await admin().PersonalAccessTokens.all({ userId, search: prefix, perPage: 2, page: 2 });

  assert.deepEqual(tokens.map((t) => t.id), ids.slice(2, 4));
});

test('showExpanded with offset pagination reports GitLab\'s pagination headers', async () => {
  const first = await admin().PersonalAccessTokens.all({ userId, search: prefix, perPage: 2, page: 1, showExpanded: true, pagination: 'offset' });
  const all = await admin().PersonalAccessTokens.all({ userId, search: prefix, perPage: 2, showExpanded: true, pagination: 'offset' });

  assert.deepEqual(first.data.map((t) => t.id), ids.slice(0, 2));
  assert.deepEqual(first.paginationInfo, { total: 5, next: 2, current: 1, previous: null, perPage: 2, totalPages: 3 });
  assert.deepEqual(all.data.map((t) => t.id), ids);
  assert.deepEqual(all.paginationInfo, { total: 5, next: null, current: 3, previous: 2, perPage: 2, totalPages: 3 });
});

test('sort orders the pages', async () => {
  const tokens = await admin().PersonalAccessTokens.all({ userId, search: prefix, perPage: 2, sort: 'name_desc' });

  assert.deepEqual(tokens.map((t) => t.id), [...ids].reverse());
});

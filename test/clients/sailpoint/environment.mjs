// Shared by the SailPoint SDK tests: where the live Latchkey server is and the PAT the SDK signs in with.
// The .NET test that runs these (Dialects/SailPoint/SailPointRealClientTests) sets the variables.
import { randomBytes } from 'node:crypto';
import { Configuration } from 'sailpoint-api-client';

export const baseurl = required('SAILPOINT_BASE_URL');
export const clientId = required('SAILPOINT_CLIENT_ID');
export const clientSecret = required('SAILPOINT_CLIENT_SECRET');

/** The SDK's own client-credentials sign-in: it POSTs the PAT's id and secret to tokenUrl as multipart form data. */
export function signIn(id = clientId, secret = clientSecret) {
  return new Configuration({ baseurl, clientId: id, clientSecret: secret, tokenUrl: `${baseurl}/oauth/token` });
}

/** A name no other test file uses (the files run in parallel against one server). */
export function uniqueName(prefix) {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A date-time far enough ahead that it is valid whenever the tests run. */
export function future(days = 90) {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set; run these tests through 'dotnet test' (SailPointSdkTests).`);
  }
  return value;
}

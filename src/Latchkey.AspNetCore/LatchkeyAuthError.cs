namespace Latchkey.AspNetCore;

/// <summary>Why a request was turned away by Latchkey's authentication or authorization, or could not be served by its store.</summary>
public enum LatchkeyAuthError
{
    /// <summary>No credential at all (401, <c>WWW-Authenticate: Bearer</c>).</summary>
    MissingCredential,

    /// <summary>A credential that is malformed, unknown, expired or revoked — never said which (401, <c>invalid_token</c>).</summary>
    InvalidToken,

    /// <summary>A valid credential without the scope the endpoint needs (403, <c>insufficient_scope</c>).</summary>
    InsufficientScope,

    /// <summary>A valid credential whose owner may not do this (403), e.g. a non-administrator on an admin endpoint.</summary>
    Forbidden,

    /// <summary>
    /// A rotate endpoint was given a token that rotated itself moments ago: a client retrying a rotation whose
    /// answer it lost (409). Nothing was changed; the replacement went to the first request.
    /// </summary>
    AlreadyRotated,

    /// <summary>
    /// The client address made too many failed authentications and this token is not one validated before (429,
    /// <c>Retry-After</c>); see <see cref="LatchkeyFailureLimitOptions"/>.
    /// </summary>
    TooManyFailures,

    /// <summary>
    /// The store could not be reached to judge the credential or to serve the request (503, <c>Retry-After</c>): the
    /// database is down, restarting or out of connections. Never a verdict on the credential.
    /// </summary>
    StoreUnavailable,
}

namespace Latchkey.Server.OAuth;

/// <summary>What <see cref="ClientCredentials.Read"/> found; all but <see cref="Read"/> are refusals.</summary>
internal enum ClientCredentialsOutcome
{
    /// <summary>An id and a secret, by one method.</summary>
    Read,

    /// <summary><c>invalid_request</c>: <c>client_id</c> or <c>client_secret</c> sent more than once (RFC 6749 §3.2).</summary>
    RepeatedParameter,

    /// <summary><c>invalid_request</c>: HTTP Basic and parameters both, which RFC 6749 §2.3 forbids.</summary>
    MoreThanOneMethod,

    /// <summary><c>invalid_client</c>: no id, no secret, or a Basic header that does not decode.</summary>
    Missing,
}

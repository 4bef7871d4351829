namespace Latchkey.AspNetCore;

/// <summary>
/// Marks an OAuth token endpoint that reads HTTP Basic as its client's <c>client_id</c> and <c>client_secret</c>
/// and judges them itself: the Latchkey scheme ignores Basic there, so the secret is validated, and a wrong one
/// counted against the address, once. Added with <c>ReadsClientCredentials()</c>.
/// </summary>
public sealed class ClientCredentialsEndpointMetadata
{
    public static readonly ClientCredentialsEndpointMetadata Instance = new();

    private ClientCredentialsEndpointMetadata()
    {
    }
}

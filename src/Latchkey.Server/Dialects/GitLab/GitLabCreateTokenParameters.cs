namespace Latchkey.Server.Dialects.GitLab;

/// <summary>
/// The parameters of GitLab's token create endpoints as <see cref="GitLabParameters"/> reads them (form, multipart,
/// JSON or query), for the OpenAPI document.
/// </summary>
internal sealed class GitLabCreateTokenParameters
{
    public required string Name { get; init; }

    /// <summary>As a form: <c>scopes[]=api&amp;scopes[]=read_user</c>.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    public string? Description { get; init; }

    /// <summary>The last day the token is valid (it expires at 00:00 UTC that day); omitted: the policy's default.</summary>
    public DateOnly? ExpiresAt { get; init; }
}

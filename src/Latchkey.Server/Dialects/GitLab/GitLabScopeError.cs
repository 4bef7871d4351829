namespace Latchkey.Server.Dialects.GitLab;

/// <summary>GitLab's 403 for a token without the scope an endpoint needs (RFC 6750 <c>insufficient_scope</c>).</summary>
internal sealed record GitLabScopeError(string Error, string ErrorDescription, string Scope)
{
    public const string Description = "The request requires higher privileges than provided by the access token.";

    public static GitLabScopeError For(string? requiredScope) => new("insufficient_scope", Description, GitLabScopes.Accepting(requiredScope));
}

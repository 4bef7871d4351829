namespace Latchkey.Server.Dialects.GitLab;

/// <summary>GitLab's usual error body, <c>{"message": "404 Not Found"}</c>.</summary>
internal sealed record GitLabMessage(string Message);

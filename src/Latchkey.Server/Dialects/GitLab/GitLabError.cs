namespace Latchkey.Server.Dialects.GitLab;

/// <summary>
/// The body Grape writes for what it rejects itself — parameter validation, unknown routes —
/// <c>{"error": "name is missing"}</c>.
/// </summary>
internal sealed record GitLabError(string Error);

namespace Latchkey.Server.Dialects.GitLab;

/// <summary>One request parameter as Grape sees it before coercion: text, a list (<c>scopes[]=…</c> or a JSON array), or null.</summary>
internal readonly record struct GitLabValue(GitLabValueKind Kind, string? Text = null, IReadOnlyList<string>? Items = null);

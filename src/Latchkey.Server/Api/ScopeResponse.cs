namespace Latchkey.Server.Api;

internal sealed record ScopeResponse(string Name, string Description, IReadOnlyList<string> Implies, bool AdminOnly);

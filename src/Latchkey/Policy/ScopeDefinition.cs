namespace Latchkey.Policy;

/// <summary>A scope in the catalog: its name, what it means, what it implies, and whether only admins may hold it.</summary>
public sealed record ScopeDefinition(string Name, string Description, IReadOnlyList<string>? Implies = null, bool AdminOnly = false);

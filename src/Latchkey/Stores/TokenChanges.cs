namespace Latchkey.Stores;

/// <summary>Fields to change on a token; <c>null</c> leaves a field as it is.</summary>
public sealed record TokenChanges
{
    public string? Name { get; init; }

    /// <summary>Set <see cref="DescriptionChanged"/> to write this value, <c>null</c> included.</summary>
    public string? Description { get; init; }

    public bool DescriptionChanged { get; init; }

    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>Set <see cref="ExpiresAtChanged"/> to write this value, <c>null</c> (never) included.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public bool ExpiresAtChanged { get; init; }

    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}

namespace Latchkey.Stores;

/// <summary>A last-used record to persist: when, and the most recent distinct client addresses, newest first.</summary>
public sealed record TokenUsage(long TokenId, DateTimeOffset LastUsedAt, IReadOnlyList<string> LastUsedIps);

namespace Latchkey.Server.Moving;

/// <summary>What a committed copy wrote: rows per table in copy order, Data Protection keys (<c>null</c> when the database keeps none), and how long it took.</summary>
internal sealed record CopySummary(IReadOnlyList<(string Table, long Rows)> Tables, int? DataProtectionKeys, TimeSpan Elapsed);

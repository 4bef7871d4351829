namespace Latchkey.Storage;

/// <summary>One schema change: an embedded <c>Migrations/NNNN_name.sql</c> file.</summary>
internal sealed record Migration(int Version, string Name, string Sql);

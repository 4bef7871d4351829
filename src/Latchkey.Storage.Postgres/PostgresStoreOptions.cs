namespace Latchkey.Storage.Postgres;

/// <summary>Where the PostgreSQL store keeps its data.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>).</summary>
    public string ConnectionString { get; set; } = string.Empty;
}

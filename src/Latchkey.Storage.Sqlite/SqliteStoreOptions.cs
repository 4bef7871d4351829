namespace Latchkey.Storage.Sqlite;

/// <summary>Where the SQLite store keeps its database.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>A file beside the application; its folder is created on first use.</summary>
    public const string DefaultConnectionString = "Data Source=./data/latchkey.db";

    public string ConnectionString { get; set; } = DefaultConnectionString;
}

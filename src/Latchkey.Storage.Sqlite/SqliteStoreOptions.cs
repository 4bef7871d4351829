namespace Latchkey.Storage.Sqlite;

/// <summary>Where the SQLite store keeps its database.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>A file beside the application; its folder is created on first use.</summary>
    public const string DefaultConnectionString = "Data Source=./data/latchkey.db";

    public string ConnectionString { get; set; } = DefaultConnectionString;

    /// <summary>How often each process reads the token changes other processes wrote (revocations reach it this fast).</summary>
    public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}

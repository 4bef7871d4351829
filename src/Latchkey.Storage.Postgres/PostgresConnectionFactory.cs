using Microsoft.Extensions.Options;
using Npgsql;

namespace Latchkey.Storage.Postgres;

/// <summary>
/// Opens pooled connections to the store's database. One data source per store, which owns the pool, so disposing
/// the host closes its connections.
/// </summary>
internal sealed class PostgresConnectionFactory : IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresConnectionFactory(IOptions<PostgresStoreOptions> options)
    {
        _dataSource = NpgsqlDataSource.Create(options.Value.ConnectionString);
    }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>For callers that cannot wait asynchronously (Data Protection's <c>IXmlRepository</c>).</summary>
    public NpgsqlConnection Open() => _dataSource.OpenConnection();

    public void Dispose() => _dataSource.Dispose();

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}

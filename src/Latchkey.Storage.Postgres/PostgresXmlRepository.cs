using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Latchkey.Storage.Postgres;

/// <summary>
/// ASP.NET Core Data Protection's key ring in the <c>data_protection_keys</c> table, so that every node protects and
/// unprotects with the same keys (cookies, antiforgery tokens, encrypted authenticator keys). One row per key, named
/// as Data Protection names it (<c>key-&lt;guid&gt;</c>), holding the XML as written: not encrypted at rest unless the host
/// adds <c>ProtectKeysWith…</c>. Data Protection never rewrites a key (a revocation is an element of its own), so a
/// name that is there already is left as it is. Synchronous, as <see cref="IXmlRepository"/> is.
/// </summary>
internal sealed class PostgresXmlRepository : IXmlRepository
{
    private const string ListSql = "SELECT xml FROM data_protection_keys ORDER BY created_at, friendly_name";

    private const string StoreSql = """
        INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@FriendlyName, @Xml)
        ON CONFLICT (friendly_name) DO NOTHING
        """;

    private readonly PostgresConnectionFactory _connections;

    public PostgresXmlRepository(PostgresConnectionFactory connections) => _connections = connections;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = _connections.Open();
        return [.. connection.Query<string>(ListSql).Select(xml => XElement.Parse(xml))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var connection = _connections.Open();
        connection.Execute(StoreSql, new { FriendlyName = string.IsNullOrEmpty(friendlyName) ? $"key-{Guid.NewGuid():D}" : friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}

using System.Data.Common;
using Latchkey.Tokens;

namespace Latchkey.Storage;

/// <summary>
/// The one place that knows the order of the token columns a query selects and how to read them back, for both stores:
/// SQLite's 0/1 INTEGER flags and PostgreSQL's booleans both read with <c>GetBoolean</c>.
/// </summary>
internal static class TokenRow
{
    private static readonly string[] Names =
    [
        "id", "public_id", "user_id", "kind", "name", "description", "scopes", "created_at", "expires_at",
        "last_used_at", "last_used_ips", "revoked_at", "family_id", "previous_id", "rotated", "parent_id", "origin",
        "attributes", "rotated_itself",
    ];

    /// <summary>The columns <see cref="Read"/> expects, first in a select list (also valid in RETURNING).</summary>
    public static readonly string Columns = string.Join(", ", Names);

    /// <summary><see cref="Columns"/> qualified with the alias <c>t</c>, for joins.</summary>
    public static readonly string QualifiedColumns = string.Join(", ", Names.Select(name => "t." + name));

    /// <summary>The ordinal of the first column after <see cref="Columns"/>.</summary>
    public static int Next => Names.Length;

    public static PersonalAccessToken Read(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        PublicId = reader.GetString(1),
        UserId = reader.GetInt64(2),
        Kind = (TokenKind)reader.GetInt32(3),
        Name = reader.GetString(4),
        Description = reader.IsDBNull(5) ? null : reader.GetString(5),
        Scopes = StoreJson.ReadList(reader.GetString(6)),
        CreatedAt = UnixTime.FromStore(reader.GetInt64(7)),
        ExpiresAt = ReadTime(reader, 8),
        LastUsedAt = ReadTime(reader, 9),
        LastUsedIps = StoreJson.ReadList(reader.GetString(10)),
        RevokedAt = ReadTime(reader, 11),
        FamilyId = reader.GetInt64(12),
        PreviousId = reader.IsDBNull(13) ? null : reader.GetInt64(13),
        Rotated = reader.GetBoolean(14),
        ParentId = reader.IsDBNull(15) ? null : reader.GetInt64(15),
        Origin = reader.GetString(16),
        Attributes = StoreJson.ReadMap(reader.GetString(17)),
        RotatedItself = reader.GetBoolean(18),
    };

    public static async Task<PersonalAccessToken?> ReadSingleAsync(DbDataReader reader, CancellationToken cancellationToken)
        => await reader.ReadAsync(cancellationToken) ? Read(reader) : null;

    private static DateTimeOffset? ReadTime(DbDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : UnixTime.FromStore(reader.GetInt64(ordinal));
}

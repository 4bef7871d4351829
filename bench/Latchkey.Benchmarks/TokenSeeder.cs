using System.Diagnostics;
using System.Security.Cryptography;
using Latchkey.Policy;
using Latchkey.Stores;
using Latchkey.Tokens;
using Latchkey.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Benchmarks;

/// <summary>
/// Fills a data folder with many real tokens, fast: the store's own migrator creates the schema, the real
/// <see cref="TokenFormat"/> and <see cref="TokenHasher"/> (with the folder's key file, which the server then
/// reads) make the secrets and hashes, and the rows go straight into SQLite in one transaction — the store's
/// insert path does a constraint check and an audit row per token, which would take an hour for a million.
/// A random sample of the secrets is written to <c>tokens.txt</c>, in random order, for the latency runs.
/// </summary>
internal static class TokenSeeder
{
    public const string OwnerName = "bench";
    public const string SampleFile = "tokens.txt";

    private const string InsertSql = """
        INSERT INTO tokens (id, public_id, user_id, kind, name, scopes, token_hash, key_id, created_at, expires_at, family_id, origin)
        VALUES (@id, @public_id, @user_id, @kind, @name, @scopes, @token_hash, @key_id, @created_at, @expires_at, @id, @origin)
        """;

    public static async Task SeedAsync(string dataDirectory, int count, int sampleSize, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Directory.CreateDirectory(dataDirectory);
        var clock = Stopwatch.StartNew();
        using var host = BenchHost.Open(dataDirectory);
        await host.Services.GetRequiredService<IStoreMigrator>().MigrateAsync(cancellationToken);
        var owner = await EnsureOwnerAsync(host.Services.GetRequiredService<IUserStore>(), cancellationToken);
        var hasher = host.Services.GetRequiredService<TokenHasher>();
        var prefix = new TokenPolicyOptions().Prefix;
        var sampled = PickSample(count, sampleSize);
        var secrets = new string[sampled.Count];

        await using (var connection = new SqliteConnection(BenchHost.ConnectionString(dataDirectory)))
        {
            await connection.OpenAsync(cancellationToken);
            Execute(connection, "PRAGMA cache_size = -524288"); // 512 MiB for this connection: the index pages stay in memory while loading.
            var firstId = NextTokenId(connection);
            var now = DateTimeOffset.UtcNow;
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = InsertSql;
            var id = insert.Parameters.Add("@id", SqliteType.Integer);
            var publicId = insert.Parameters.Add("@public_id", SqliteType.Text);
            insert.Parameters.AddWithValue("@user_id", owner.Id);
            insert.Parameters.AddWithValue("@kind", (int)TokenKind.Personal);
            var name = insert.Parameters.Add("@name", SqliteType.Text);
            insert.Parameters.AddWithValue("@scopes", "[\"api\"]");
            var tokenHash = insert.Parameters.Add("@token_hash", SqliteType.Blob);
            insert.Parameters.AddWithValue("@key_id", hasher.CurrentKeyId);
            insert.Parameters.AddWithValue("@created_at", now.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("@expires_at", now.AddDays(365).ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("@origin", TokenOrigins.Native);
            insert.Prepare();

            Span<byte> publicIdBytes = stackalloc byte[16];
            for (var i = 0; i < count; i++)
            {
                var secret = TokenFormat.Generate(prefix, hasher.CurrentKeyId);
                RandomNumberGenerator.Fill(publicIdBytes);
                id.Value = firstId + i;
                publicId.Value = Convert.ToHexStringLower(publicIdBytes);
                name.Value = $"bench-{i}";
                tokenHash.Value = hasher.HashNew(secret).ToArray();
                insert.ExecuteNonQuery();
                if (sampled.TryGetValue(i, out var slot))
                {
                    secrets[slot] = secret;
                }

                if ((i + 1) % 100_000 == 0)
                {
                    log.WriteLine($"  {i + 1:N0} tokens ({clock.Elapsed.TotalSeconds:F1} s)");
                }
            }

            transaction.Commit();

            // Fold the big write-ahead log into the database now, so the server does not start on a huge WAL.
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }

        await File.WriteAllLinesAsync(Path.Combine(dataDirectory, SampleFile), secrets, cancellationToken);
        log.WriteLine($"Seeded {count:N0} tokens for user '{OwnerName}' in {clock.Elapsed.TotalSeconds:F1} s; {secrets.Length:N0} sample secrets in {Path.Combine(dataDirectory, SampleFile)}.");
    }

    public static string[] ReadSample(string dataDirectory) => File.ReadAllLines(Path.Combine(dataDirectory, SampleFile));

    private static async Task<User> EnsureOwnerAsync(IUserStore users, CancellationToken cancellationToken)
    {
        if (await users.FindByUsernameAsync(OwnerName, cancellationToken) is { } existing)
        {
            return existing;
        }

        // A real hash of a password nobody knows: the owner exists only to own tokens.
        var passwordHash = new PasswordHasher<object>().HashPassword(new object(), RandomNumberGenerator.GetHexString(32));
        return await users.CreateAsync(new NewUser(OwnerName, null, "Benchmark token owner", passwordHash, false, DateTimeOffset.UtcNow), cancellationToken)
            ?? throw new InvalidOperationException($"Could not create the user '{OwnerName}'.");
    }

    // Row index → position in the sample file: distinct rows, in random order.
    private static Dictionary<int, int> PickSample(int count, int sampleSize)
    {
        var size = Math.Min(count, sampleSize);
        var picked = new Dictionary<int, int>(size);
        while (picked.Count < size)
        {
            picked.TryAdd(Random.Shared.Next(count), picked.Count);
        }

        return picked;
    }

    // AUTOINCREMENT never reuses an id, even a deleted one: start above both the largest id and the sequence.
    private static long NextTokenId(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(COALESCE((SELECT MAX(id) FROM tokens), 0), COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'tokens'), 0))";
        return (long)command.ExecuteScalar()! + 1;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using Latchkey.Tokens;

namespace Latchkey.Hosting;

/// <summary>Builds the <see cref="TokenKeyRing"/> from configuration or the key file, creating the file on first start.</summary>
internal static class TokenKeyRingFactory
{
    private const string FirstKeyId = "k1";

    public static TokenKeyRing Create(LatchkeyHashingOptions options) => Build(options, createMissingFile: true)!;

    /// <summary>
    /// Throws what <see cref="Create"/> would, but writes nothing: a key file that does not exist yet is fine (it is
    /// created on first use), so a start-up that fails for another setting leaves no file behind.
    /// </summary>
    public static void Check(LatchkeyHashingOptions options) => Build(options, createMissingFile: false);

    private static TokenKeyRing? Build(LatchkeyHashingOptions options, bool createMissingFile)
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? current = options.CurrentKeyId;
        foreach (var (id, value) in options.Keys)
        {
            keys[id] = Decode(id, value);
        }

        if (keys.Count == 0)
        {
            if (string.IsNullOrEmpty(options.KeyFile))
            {
                throw new InvalidOperationException("No token hashing key: set Latchkey:Hashing:Keys:<id> (Base64, 32+ bytes) or Latchkey:Hashing:KeyFile.");
            }

            if (!createMissingFile && !File.Exists(options.KeyFile))
            {
                return null;
            }

            var file = LoadOrCreate(options.KeyFile);
            current ??= file.Current;
            foreach (var (id, value) in file.Keys)
            {
                keys[id] = Decode(id, value);
            }
        }

        current ??= keys.Count == 1 ? keys.Keys.Single() : throw new InvalidOperationException("Several hashing keys are configured: set Latchkey:Hashing:CurrentKeyId.");
        return new TokenKeyRing(current, keys);
    }

    private static byte[] Decode(string id, string value)
    {
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"Hashing key '{id}' is not valid Base64.");
        }
    }

    private static KeyFile LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return JsonSerializer.Deserialize<KeyFile>(File.ReadAllText(path))
                ?? throw new InvalidOperationException($"The hashing key file '{path}' is empty.");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else if (!Directory.Exists(folder))
        {
            // The key's folder is the owner's alone, like the key itself.
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var created = new KeyFile(FirstKeyId, new Dictionary<string, string> { [FirstKeyId] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(path, options);
            JsonSerializer.Serialize(stream, created);
            stream.Flush(flushToDisk: true);
            return created;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first; use theirs.
            return JsonSerializer.Deserialize<KeyFile>(File.ReadAllText(path))!;
        }
    }

    private sealed record KeyFile(string Current, Dictionary<string, string> Keys);
}

namespace Latchkey.Benchmarks;

/// <summary>
/// A seeded data folder per size under the temp folder, made once and reused by later runs (seeding a million
/// tokens takes a while). Delete <c>$TMPDIR/latchkey-bench</c> to start afresh.
/// </summary>
internal static class SeededDataset
{
    public const int SampleSize = 11_000;

    public static string GetOrCreate(int count)
    {
        var folder = Path.Combine(Path.GetTempPath(), "latchkey-bench", $"seed-{count}");
        var done = Path.Combine(folder, "seeded");
        if (!File.Exists(done))
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true); // a seed that was interrupted
            }

            TokenSeeder.SeedAsync(folder, count, SampleSize, Console.Out, CancellationToken.None).GetAwaiter().GetResult();
            File.WriteAllText(done, count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return folder;
    }
}

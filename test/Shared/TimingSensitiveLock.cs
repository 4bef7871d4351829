namespace Latchkey.Testing;

/// <summary>
/// One machine-wide lock between test processes: <c>dotnet test Latchkey.slnx</c> runs the test projects side by side,
/// and a headless Chromium busy on both cores starved the real server processes whose tests measure a promise in
/// wall-clock time ("refused by the other process within a second"). The browser fixture holds this lock while its
/// Chromium runs and such tests hold it while they measure, so neither waits on the other's CPU. The lock is an
/// exclusive open of a file in the temp folder (an advisory <c>flock</c> on Linux), so a crashed holder frees it.
/// </summary>
public sealed class TimingSensitiveLock : IDisposable
{
    private static readonly string LockPath = Path.Combine(Path.GetTempPath(), "latchkey-tests-timing.lock");

    private readonly FileStream _file;

    private TimingSensitiveLock(FileStream file) => _file = file;

    /// <summary>
    /// Waits for the lock; after <paramref name="patience"/> (10 minutes unless told otherwise) runs without it rather
    /// than hang a test run whose other holder is stuck, and answers <c>null</c>.
    /// </summary>
    public static async Task<TimingSensitiveLock?> AcquireAsync(TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromMinutes(10));
        while (true)
        {
            try
            {
                return new TimingSensitiveLock(new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    public void Dispose() => _file.Dispose();
}

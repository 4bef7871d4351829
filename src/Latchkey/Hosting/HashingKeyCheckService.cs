using Latchkey.Tokens;
using Microsoft.Extensions.Hosting;

namespace Latchkey.Hosting;

/// <summary>
/// Runs <see cref="HashingKeyCheck"/> when a generic host starts (the host migrated its store before, as it must
/// before serving): a node whose keys do not fit the database does not start. The server runs the check itself
/// earlier, to word the refusal as one line; the check runs against the store once per process.
/// </summary>
internal sealed class HashingKeyCheckService(HashingKeyCheck check) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => check.VerifyAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

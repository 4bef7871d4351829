using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore;

/// <summary>
/// Counts failed token authentications per client address with the framework's fixed-window rate limiter. A
/// failure takes a permit; an address with none left is "limited" until its window ends. Successful
/// authentications take nothing, so a client presenting valid tokens never uses up its budget. For endpoints that
/// validate a credential themselves (e.g. an OAuth token endpoint) as well as for the authentication handler.
/// </summary>
public sealed partial class LatchkeyFailureLimiter : IDisposable
{
    // Requests with no address at all (a Unix socket, an in-process test server) share one budget.
    private static readonly IPAddress NoAddress = IPAddress.IPv6None;

    private readonly PartitionedRateLimiter<IPAddress>? _failures;
    private readonly LatchkeyFailureLimitOptions _options;
    private readonly ILogger<LatchkeyFailureLimiter> _logger;

    public LatchkeyFailureLimiter(IOptions<LatchkeyFailureLimitOptions> options, ILogger<LatchkeyFailureLimiter> logger)
    {
        _options = options.Value;
        _logger = logger;
        if (_options.Enabled)
        {
            _failures = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = _options.PermitLimit,
                Window = _options.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        }
    }

    /// <summary>True when <paramref name="client"/> has used up its failures; <paramref name="retryAfter"/> says for how long at most.</summary>
    public bool IsLimited(IPAddress? client, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_failures is null)
        {
            return false;
        }

        using var probe = _failures.AttemptAcquire(Partition(client), 0);
        if (probe.IsAcquired)
        {
            return false;
        }

        // The fixed-window limiter names the window length: the longest the client can have to wait.
        retryAfter = probe.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : _options.Window;
        return true;
    }

    /// <summary>Counts one failed authentication against <paramref name="client"/>.</summary>
    public void RecordFailure(IPAddress? client)
    {
        if (_failures is null)
        {
            return;
        }

        var partition = Partition(client);
        using var lease = _failures.AttemptAcquire(partition);
        if (lease.IsAcquired && _failures.GetStatistics(partition)?.CurrentAvailablePermits == 0)
        {
            // Once per window and address: the moment the budget runs out, not every refused request after it.
            LogLimitReached(partition, _options.PermitLimit, _options.Window);
        }
    }

    public void Dispose() => _failures?.Dispose();

    // IPv4 clients reach a dual-stack socket as ::ffff:a.b.c.d; they are the same client as a.b.c.d.
    private static IPAddress Partition(IPAddress? client)
        => client is null ? NoAddress : client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Client {Address} made {Limit} failed token authentications within {Window}; until the window ends its requests are refused with 429 unless their token was validated before")]
    private partial void LogLimitReached(IPAddress address, int limit, TimeSpan window);
}

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
    private readonly FailureBudget<IPAddress>? _failures;
    private readonly LatchkeyFailureLimitOptions _options;
    private readonly ILogger<LatchkeyFailureLimiter> _logger;

    public LatchkeyFailureLimiter(IOptions<LatchkeyFailureLimitOptions> options, ILogger<LatchkeyFailureLimiter> logger)
    {
        _options = options.Value;
        _logger = logger;
        if (_options.Enabled)
        {
            // The fixed-window limiter names when its window ends; the window is only the fallback.
            _failures = new FailureBudget<IPAddress>(
                address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = _options.PermitLimit,
                    Window = _options.Window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }),
                _options.PermitLimit,
                _options.Window);
        }
    }

    /// <summary>True when <paramref name="client"/> has used up its failures; <paramref name="retryAfter"/> says for how long at most.</summary>
    public bool IsLimited(IPAddress? client, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        return _failures is not null && _failures.IsLimited(FailureBudget<IPAddress>.ClientKey(client), out retryAfter);
    }

    /// <summary>Counts one failed authentication against <paramref name="client"/>.</summary>
    public void RecordFailure(IPAddress? client)
    {
        var key = FailureBudget<IPAddress>.ClientKey(client);
        if (_failures?.RecordFailure(key) == true)
        {
            // Once per window and address: the moment the budget runs out, not every refused request after it.
            LogLimitReached(key, _options.PermitLimit, _options.Window);
        }
    }

    public void Dispose() => _failures?.Dispose();

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Client {Address} made {Limit} failed token authentications within {Window}; until the window ends its requests are refused with 429 unless their token was validated before")]
    private partial void LogLimitReached(IPAddress address, int limit, TimeSpan window);
}

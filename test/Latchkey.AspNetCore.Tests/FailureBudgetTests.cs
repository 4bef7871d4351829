using System.Net;
using System.Threading.RateLimiting;

namespace Latchkey.AspNetCore.Tests;

public sealed class FailureBudgetTests
{
    private static FailureBudget<string> Budget(int permits) => new(
        key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }),
        permits,
        TimeSpan.FromMinutes(1));

    [Fact]
    public void A_key_is_limited_once_its_failures_are_used_up_and_other_keys_are_not()
    {
        using var budget = Budget(3);

        Assert.False(budget.RecordFailure("a"));
        Assert.False(budget.RecordFailure("a"));
        Assert.False(budget.IsLimited("a", out _));
        Assert.True(budget.RecordFailure("a"));

        Assert.True(budget.IsLimited("a", out var retryAfter));
        Assert.True(retryAfter > TimeSpan.Zero);
        Assert.False(budget.IsLimited("b", out var none));
        Assert.Equal(TimeSpan.Zero, none);
    }

    [Fact]
    public void An_IPv4_client_on_a_dual_stack_socket_is_the_same_key_as_itself()
    {
        var mapped = IPAddress.Parse("::ffff:192.0.2.10");

        Assert.Equal(IPAddress.Parse("192.0.2.10"), FailureBudget<IPAddress>.ClientKey(mapped));
        Assert.Equal(FailureBudget<IPAddress>.ClientKey(null), FailureBudget<IPAddress>.ClientKey(null));
    }
}

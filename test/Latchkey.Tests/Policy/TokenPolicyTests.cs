using Latchkey.Policy;
using Latchkey.Tokens;
using Microsoft.Extensions.Options;

namespace Latchkey.Tests.Policy;

public sealed class TokenPolicyTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);
    private static readonly ScopeCatalog Catalog = new(Options.Create(new ScopeCatalogOptions()));

    private static TokenPolicy Policy(Action<TokenPolicyOptions>? configure = null)
    {
        var options = new TokenPolicyOptions();
        configure?.Invoke(options);
        return new TokenPolicy("test", options, Catalog);
    }

    private static void AssertInvalid<T>(Result<T> result, string field, TokenErrorReason reason)
    {
        Assert.False(result.Succeeded);
        Assert.Equal(TokenErrorCode.Invalid, result.Error.Code);
        Assert.Equal(field, result.Error.Field);
        Assert.Equal(reason, result.Error.Reason);
    }

    [Fact]
    public void A_token_without_an_expiry_lives_thirty_days()
    {
        var expiry = Policy().ResolveExpiry(TokenExpiry.Default, Now);

        Assert.Equal(Now.AddDays(30), expiry.Value);
    }

    [Fact]
    public void The_default_lifetime_is_configurable()
    {
        var expiry = Policy(o => o.DefaultLifetime = TimeSpan.FromHours(8)).ResolveExpiry(TokenExpiry.Default, Now);

        Assert.Equal(Now.AddHours(8), expiry.Value);
    }

    [Theory]
    [InlineData("2025-03-14T09:26:53Z", "2025-03-15T00:00:00Z")]
    [InlineData("2025-03-14T00:00:00Z", "2025-03-15T00:00:00Z")]
    [InlineData("2025-03-14T23:59:59.999Z", "2025-03-15T00:00:00Z")]
    [InlineData("2025-12-31T12:00:00Z", "2026-01-01T00:00:00Z")]
    [InlineData("2025-03-14T23:30:00-05:00", "2025-03-16T00:00:00Z")]
    public void End_of_day_policy_expires_at_the_next_utc_midnight(string now, string expected)
    {
        var policy = Policy(o => o.DefaultExpiresAtEndOfDay = true);

        var expiry = policy.ResolveExpiry(TokenExpiry.Default, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), expiry.Value);
        Assert.Equal(TimeSpan.Zero, expiry.Value!.Value.Offset);
    }

    [Fact]
    public void A_policy_whose_default_is_never_gives_a_token_without_expiry_when_none_is_asked_for()
    {
        var policy = Policy(o => o.DefaultNeverExpires = true);

        Assert.Null(policy.ResolveExpiry(TokenExpiry.Default, Now).Value);
        Assert.Equal(Now.AddDays(3), policy.ResolveExpiry(TokenExpiry.On(Now.AddDays(3)), Now).Value);
    }

    [Fact]
    public void Forbidding_never_expiring_tokens_overrides_a_default_of_never_with_the_default_lifetime()
    {
        var policy = Policy(o =>
        {
            o.DefaultNeverExpires = true;
            o.AllowNeverExpiring = false;
        });

        Assert.Empty(policy.Options.Validate(Catalog));
        Assert.Equal(Now.AddDays(30), policy.ResolveExpiry(TokenExpiry.Default, Now).Value);
    }

    [Fact]
    public void An_expiry_exactly_at_the_maximum_lifetime_is_allowed()
    {
        var expiry = Policy().ResolveExpiry(TokenExpiry.On(Now.AddDays(365)), Now);

        Assert.Equal(Now.AddDays(365), expiry.Value);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(TimeSpan.TicksPerSecond)]
    [InlineData(TimeSpan.TicksPerDay * 10)]
    public void An_expiry_past_the_maximum_lifetime_is_refused(long ticksBeyond)
    {
        var result = Policy().ResolveExpiry(TokenExpiry.On(Now.AddDays(365).AddTicks(ticksBeyond)), Now);

        AssertInvalid(result, "expires_at", TokenErrorReason.ExpiryBeyondMaximum);
        Assert.Contains("365 days", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(Now.AddDays(365), result.Error.LatestExpiry);
    }

    [Fact]
    public void Without_a_maximum_lifetime_any_future_expiry_is_allowed()
    {
        var expiry = Policy(o => o.MaximumLifetime = null).ResolveExpiry(TokenExpiry.On(Now.AddYears(100)), Now);

        Assert.Equal(Now.AddYears(100), expiry.Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-TimeSpan.TicksPerDay)]
    public void An_expiry_now_or_in_the_past_is_refused(long ticksFromNow)
    {
        AssertInvalid(Policy().ResolveExpiry(TokenExpiry.On(Now.AddTicks(ticksFromNow)), Now), "expires_at", TokenErrorReason.ExpiryInPast);
    }

    [Fact]
    public void An_expiry_one_millisecond_ahead_is_allowed()
    {
        Assert.Equal(Now.AddMilliseconds(1), Policy().ResolveExpiry(TokenExpiry.On(Now.AddMilliseconds(1)), Now).Value);
    }

    [Fact]
    public void An_expiry_given_in_another_offset_is_judged_as_the_same_instant()
    {
        var local = Now.AddDays(365).ToOffset(TimeSpan.FromHours(-8));

        var expiry = Policy().ResolveExpiry(TokenExpiry.On(local), Now);

        Assert.Equal(Now.AddDays(365), expiry.Value);
    }

    [Fact]
    public void An_expiry_date_means_midnight_utc_of_that_day()
    {
        var expiry = Policy().ResolveExpiry(TokenExpiry.OnDate(new DateOnly(2025, 4, 1)), Now);

        Assert.Equal(new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero), expiry.Value);
    }

    [Fact]
    public void An_acknowledged_never_expiring_token_is_allowed()
    {
        var expiry = Policy().ResolveExpiry(TokenExpiry.Never(acknowledged: true), Now);

        Assert.True(expiry.Succeeded);
        Assert.Null(expiry.Value);
    }

    [Fact]
    public void A_never_expiring_token_without_acknowledgement_is_refused()
    {
        AssertInvalid(Policy().ResolveExpiry(TokenExpiry.Never(acknowledged: false), Now), "expires_at", TokenErrorReason.NeverExpiringNotAcknowledged);
    }

    [Fact]
    public void Never_expiring_tokens_are_refused_when_the_policy_forbids_them_even_acknowledged()
    {
        var result = Policy(o => o.AllowNeverExpiring = false).ResolveExpiry(TokenExpiry.Never(acknowledged: true), Now);

        AssertInvalid(result, "expires_at", TokenErrorReason.NeverExpiringNotAllowed);
        Assert.Contains("not allowed", result.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, TokenErrorReason.NameMissing)]
    [InlineData("", TokenErrorReason.NameMissing)]
    [InlineData(" ", TokenErrorReason.NameMissing)]
    [InlineData("\t \n", TokenErrorReason.NameMissing)]
    [InlineData("ci\n", TokenErrorReason.NameInvalidCharacters)]
    [InlineData("c\0i", TokenErrorReason.NameInvalidCharacters)]
    [InlineData("bell\u0007", TokenErrorReason.NameInvalidCharacters)]
    [InlineData("esc\u001b[31m", TokenErrorReason.NameInvalidCharacters)]
    [InlineData("del\u007f", TokenErrorReason.NameInvalidCharacters)]
    public void Names_that_are_empty_or_hold_control_characters_are_refused(string? name, TokenErrorReason reason)
    {
        var error = Policy().CheckName(name);

        Assert.NotNull(error);
        Assert.Equal(TokenErrorCode.Invalid, error.Code);
        Assert.Equal("name", error.Field);
        Assert.Equal(reason, error.Reason);
    }

    [Theory]
    [InlineData("ci")]
    [InlineData("deploy key for prod")]
    [InlineData("ключ 🔑")]
    public void Ordinary_names_are_accepted(string name)
    {
        Assert.Null(Policy().CheckName(name));
    }

    [Fact]
    public void A_name_of_255_characters_is_accepted_and_256_refused()
    {
        Assert.Null(Policy().CheckName(new string('n', 255)));

        var error = Policy().CheckName(new string('n', 256));
        Assert.Equal("name", error?.Field);
        Assert.Contains("255", error!.Message, StringComparison.Ordinal);
        Assert.Equal((TokenErrorReason.NameTooLong, 255), (error.Reason, error.Limit));
    }

    [Fact]
    public void A_description_of_1000_characters_is_accepted_and_1001_refused()
    {
        Assert.Null(Policy().CheckDescription(null));
        Assert.Null(Policy().CheckDescription(new string('d', 1000)));
        var error = Policy().CheckDescription(new string('d', 1001));
        Assert.Equal("description", error?.Field);
        Assert.Equal((TokenErrorReason.DescriptionTooLong, 1000), (error!.Reason, error.Limit));
    }

    [Fact]
    public void Scopes_are_required_when_the_policy_has_no_default()
    {
        AssertInvalid(Policy().ResolveScopes(null, ScopeSet.Full, ownerIsAdmin: false), "scopes", TokenErrorReason.ScopesMissing);
        AssertInvalid(Policy().ResolveScopes([], ScopeSet.Full, ownerIsAdmin: false), "scopes", TokenErrorReason.ScopesMissing);
    }

    [Fact]
    public void The_default_scopes_are_given_when_none_are_asked_for()
    {
        var policy = Policy(o => o.DefaultScopes = ["read_api"]);

        Assert.Equal(["read_api"], policy.ResolveScopes(null, ScopeSet.Full, ownerIsAdmin: false).Value);
        Assert.Equal(["read_api"], policy.ResolveScopes([], ScopeSet.Full, ownerIsAdmin: false).Value);
        Assert.Equal(["api"], policy.ResolveScopes(["api"], ScopeSet.Full, ownerIsAdmin: false).Value);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("")]
    [InlineData("API")]
    [InlineData("api ")]
    public void Unknown_scopes_are_refused(string scope)
    {
        var result = Policy().ResolveScopes(["read_api", scope], ScopeSet.Full, ownerIsAdmin: false);

        AssertInvalid(result, "scopes", TokenErrorReason.ScopeUnknown);
        Assert.Equal(scope, result.Error!.Scope);
    }

    [Theory]
    [InlineData("sudo")]
    [InlineData("admin_mode")]
    public void Administrator_scopes_are_refused_for_other_owners_and_allowed_for_administrators(string scope)
    {
        var refused = Policy().ResolveScopes([scope], ScopeSet.Full, ownerIsAdmin: false);
        AssertInvalid(refused, "scopes", TokenErrorReason.ScopeAdminOnly);
        Assert.Equal(scope, refused.Error!.Scope);

        Assert.Equal([scope], Policy().ResolveScopes([scope], ScopeSet.Full, ownerIsAdmin: true).Value);
    }

    [Fact]
    public void A_policy_with_allowed_scopes_refuses_the_others()
    {
        var policy = Policy(o => o.AllowedScopes = ["read_api", "read_repository"]);

        Assert.Equal(["read_repository"], policy.ResolveScopes(["read_repository"], ScopeSet.Full, ownerIsAdmin: false).Value);
        var refused = policy.ResolveScopes(["read_api", "api"], ScopeSet.Full, ownerIsAdmin: false);
        AssertInvalid(refused, "scopes", TokenErrorReason.ScopeNotAllowed);
        Assert.Contains("'api'", refused.Error!.Message, StringComparison.Ordinal);
        Assert.Equal("api", refused.Error.Scope);
        Assert.Equal(["read_api", "read_repository"], refused.Error.AllowedScopes);
    }

    [Fact]
    public void Repeated_scopes_collapse_keeping_the_order_asked()
    {
        var scopes = Policy().ResolveScopes(["read_user", "api", "read_user", "api"], ScopeSet.Full, ownerIsAdmin: false);

        Assert.Equal(["read_user", "api"], scopes.Value);
    }

    [Theory]
    [InlineData("read_api", "api", false)]
    [InlineData("read_api", "write_repository", false)]
    [InlineData("read_api", "*", false)]
    [InlineData("read_api", "read_repository", true)]
    [InlineData("api", "write_registry", true)]
    [InlineData("api", "api", true)]
    [InlineData("*", "*", true)]
    public void A_credential_cannot_ask_for_more_than_it_holds(string held, string asked, bool allowed)
    {
        var result = Policy().ResolveScopes([asked], Catalog.Expand([held]), ownerIsAdmin: false);

        if (allowed)
        {
            Assert.Equal([asked], result.Value);
        }
        else
        {
            AssertInvalid(result, "scopes", TokenErrorReason.ScopeBeyondCeiling);
        }
    }

    [Fact]
    public void A_rotated_token_keeps_the_old_lifetime_from_the_moment_of_rotation()
    {
        var old = Token(createdAt: Now, expiresAt: Now.AddDays(10));
        var rotatedAt = Now.AddDays(3);

        var expiry = Policy().ResolveRotationExpiry(old, requested: null, rotatedAt);

        Assert.Equal(rotatedAt.AddDays(10), expiry.Value);
    }

    [Fact]
    public void A_rotated_token_never_gets_more_than_the_maximum_lifetime()
    {
        var old = Token(createdAt: Now, expiresAt: Now.AddDays(400));

        var expiry = Policy().ResolveRotationExpiry(old, requested: null, Now);

        Assert.Equal(Now.AddDays(365), expiry.Value);
    }

    [Fact]
    public void A_rotation_can_ask_for_its_own_expiry_under_the_same_rules()
    {
        var old = Token(createdAt: Now, expiresAt: Now.AddDays(10));

        Assert.Equal(Now.AddDays(2), Policy().ResolveRotationExpiry(old, TokenExpiry.On(Now.AddDays(2)), Now).Value);
        AssertInvalid(Policy().ResolveRotationExpiry(old, TokenExpiry.On(Now.AddDays(366)), Now), "expires_at", TokenErrorReason.ExpiryBeyondMaximum);
    }

    [Fact]
    public void A_policy_with_a_rotation_lifetime_gives_rotated_tokens_that_lifetime_whatever_the_old_one_had()
    {
        var policy = Policy(o => o.RotationLifetime = TimeSpan.FromDays(7));

        Assert.Equal(Now.AddDays(7), policy.ResolveRotationExpiry(Token(createdAt: Now, expiresAt: Now.AddDays(100)), requested: null, Now).Value);
        Assert.Equal(Now.AddDays(7), policy.ResolveRotationExpiry(Token(createdAt: Now, expiresAt: null), requested: null, Now).Value);
        Assert.Equal(Now.AddDays(2), policy.ResolveRotationExpiry(Token(createdAt: Now, expiresAt: null), TokenExpiry.On(Now.AddDays(2)), Now).Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(366)]
    public void A_rotation_lifetime_that_is_not_positive_or_beyond_the_maximum_is_reported(int days)
    {
        var options = new TokenPolicyOptions { RotationLifetime = TimeSpan.FromDays(days) };

        Assert.Contains(options.Validate(Catalog), e => e.Contains("RotationLifetime", StringComparison.Ordinal));
    }

    [Fact]
    public void A_token_made_to_expire_at_the_end_of_time_rotates_into_the_latest_expiry_without_overflowing()
    {
        var endOfTime = new DateTimeOffset(9999, 12, 31, 23, 59, 59, 999, TimeSpan.Zero);
        var old = Token(createdAt: Now, expiresAt: endOfTime);

        var unlimited = Policy(o => o.MaximumLifetime = null).ResolveRotationExpiry(old, requested: null, Now.AddDays(30));
        var limited = Policy().ResolveRotationExpiry(old, requested: null, Now.AddDays(30));

        Assert.Equal(endOfTime, unlimited.Value);
        Assert.Equal(TokenPolicy.LatestExpiry, unlimited.Value);
        Assert.Equal(Now.AddDays(30 + 365), limited.Value);
    }

    [Fact]
    public void A_maximum_lifetime_longer_than_the_calendar_does_not_overflow()
    {
        var policy = Policy(o => o.MaximumLifetime = TimeSpan.MaxValue);

        Assert.Equal(Now.AddDays(5), policy.ResolveExpiry(TokenExpiry.On(Now.AddDays(5)), Now).Value);
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("01:00:01")]
    public void A_rotation_retry_window_that_is_negative_or_longer_than_an_hour_is_reported(string window)
    {
        var options = new TokenPolicyOptions { RotationRetryWindow = TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture) };

        Assert.Contains(options.Validate(Catalog), e => e.Contains("RotationRetryWindow", StringComparison.Ordinal));
    }

    [Fact]
    public void The_rotation_retry_window_is_a_minute_unless_configured()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), new TokenPolicyOptions().RotationRetryWindow);
        Assert.Empty(new TokenPolicyOptions { RotationRetryWindow = TimeSpan.Zero }.Validate(Catalog));
    }

    [Fact]
    public void A_rotated_never_expiring_token_never_expires()
    {
        var expiry = Policy().ResolveRotationExpiry(Token(createdAt: Now, expiresAt: null), requested: null, Now);

        Assert.True(expiry.Succeeded);
        Assert.Null(expiry.Value);
    }

    [Fact]
    public void The_policy_hands_its_limits_to_the_store()
    {
        var constraints = Policy(o =>
        {
            o.MaxTokensPerUser = 3;
            o.UniqueNamesPerUser = true;
        }).Constraints(Now);

        Assert.Equal(new Stores.InsertConstraints(3, true, Now), constraints);
    }

    [Fact]
    public void The_default_options_are_valid()
    {
        Assert.Empty(new TokenPolicyOptions().Validate(Catalog));
    }

    [Theory]
    [InlineData("DefaultLifetime")]
    [InlineData("MaximumLifetime must be positive")]
    [InlineData("longer than MaximumLifetime")]
    [InlineData("Prefix")]
    [InlineData("MaxTokensPerUser")]
    [InlineData("MaxNameLength")]
    [InlineData("'nope'")]
    public void Bad_options_are_reported_at_start_up(string problem)
    {
        var options = new TokenPolicyOptions();
        Action<TokenPolicyOptions> breakIt = problem switch
        {
            "DefaultLifetime" => o => o.DefaultLifetime = TimeSpan.Zero,
            "MaximumLifetime must be positive" => o => o.MaximumLifetime = TimeSpan.FromDays(-1),
            "longer than MaximumLifetime" => o => o.DefaultLifetime = TimeSpan.FromDays(400),
            "Prefix" => o => o.Prefix = "bad prefix!",
            "MaxTokensPerUser" => o => o.MaxTokensPerUser = -1,
            "MaxNameLength" => o => o.MaxNameLength = 256,
            _ => o => o.AllowedScopes = ["nope"],
        };
        breakIt(options);

        var problems = options.Validate(Catalog).ToArray();

        Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_default_scopes_are_reported_at_start_up()
    {
        var options = new TokenPolicyOptions { DefaultScopes = ["api", "nope"] };

        Assert.Contains("'nope'", Assert.Single(options.Validate(Catalog)), StringComparison.Ordinal);
    }

    private static PersonalAccessToken Token(DateTimeOffset createdAt, DateTimeOffset? expiresAt) => new()
    {
        Id = 1,
        PublicId = "0123456789abcdef0123456789abcdef",
        UserId = 1,
        Name = "ci",
        Scopes = ["api"],
        CreatedAt = createdAt,
        ExpiresAt = expiresAt,
        FamilyId = 1,
    };
}

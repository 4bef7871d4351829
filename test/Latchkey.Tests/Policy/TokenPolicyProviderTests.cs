using Latchkey.Tests.Fakes;
using Latchkey.Tokens;
using Microsoft.Extensions.Options;

namespace Latchkey.Tests.Policy;

public sealed class TokenPolicyProviderTests
{
    [Fact]
    public void The_native_api_is_judged_by_the_configured_default_policy()
    {
        var engine = new EngineBuilder().ConfigurePolicy(o => o.MaxTokensPerUser = 7).Build();

        Assert.Same(engine.Policies.Default, engine.Policies.Get(TokenOrigins.Native));
        Assert.Equal(7, engine.Policies.Get(TokenOrigins.Native).Options.MaxTokensPerUser);
    }

    [Fact]
    public void A_dialect_gets_the_shared_settings_plus_its_own()
    {
        var engine = new EngineBuilder()
            .ConfigureAllPolicies(o => o.MaxTokensPerUser = 7)
            .ConfigurePolicy("gitlab", o => o.DefaultExpiresAtEndOfDay = true)
            .Build();

        var gitlab = engine.Policies.Get("gitlab");

        Assert.Equal("gitlab", gitlab.Name);
        Assert.Equal(7, gitlab.Options.MaxTokensPerUser);
        Assert.True(gitlab.Options.DefaultExpiresAtEndOfDay);
        Assert.False(engine.Policies.Default.Options.DefaultExpiresAtEndOfDay);
        Assert.Equal(Options.DefaultName, engine.Policies.Default.Name);
    }
}

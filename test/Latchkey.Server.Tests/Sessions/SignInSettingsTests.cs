using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Sessions;

/// <summary><c>Latchkey:SignIn</c> settings that cannot work stop the server at start-up, naming the setting.</summary>
public sealed class SignInSettingsTests
{
    private sealed class Factory(string key, string value) : LatchkeyServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { [key] = value };
    }

    [Theory]
    [InlineData("Latchkey:SignIn:MaxFailures", "0")]
    [InlineData("Latchkey:SignIn:MaxFailures", "-3")]
    [InlineData("Latchkey:SignIn:Window", "00:00:00")]
    [InlineData("Latchkey:SignIn:MaxFailuresPerAddress", "0")]
    [InlineData("Latchkey:SignIn:MaxFailuresPerAddress", "5")]
    public void An_unusable_sign_in_limit_fails_start_up_naming_it(string key, string value)
    {
        using var factory = new Factory(key, value);
        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains(key, failure.Message);
    }
}

using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore.Tests;

/// <summary>Settings that make no sense stop the application at start-up with a message naming them.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Latchkey:Tokens:Prefix", "has spaces!", "Prefix")]
    [InlineData("Latchkey:Tokens:DefaultLifetime", "-1.00:00:00", "DefaultLifetime")]
    [InlineData("Latchkey:Tokens:MaximumLifetime", "1.00:00:00", "MaximumLifetime")]
    [InlineData("Latchkey:Tokens:MaxTokensPerUser", "-1", "MaxTokensPerUser")]
    [InlineData("Latchkey:SessionLifetime", "00:00:00", "SessionLifetime")]
    [InlineData("Latchkey:CacheMaxAge", "00:00:00", "CacheMaxAge")]
    public async Task A_bad_setting_fails_start_up_naming_it(string key, string value, string named)
    {
        var folder = Directory.CreateTempSubdirectory("latchkey-aspnetcore-tests-").FullName;
        try
        {
            await using var app = TestApp.Build(new Dictionary<string, string?> { [key] = value }, folder);
            var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
            Assert.Contains(named, failure.Message);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}

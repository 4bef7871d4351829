using System.Net;
using System.Net.Http.Json;
using OtpNet;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>Enrols a test user in two-factor authentication over the API, computing codes as an authenticator app would.</summary>
public static class TwoFactorHelpers
{
    /// <summary>Starts and confirms an enrolment; returns the Base32 key and the ten recovery codes.</summary>
    public static async Task<(string Secret, string[] RecoveryCodes)> EnrolAsync(this AdjustableClockServerFactory factory, TestUser user)
    {
        var client = factory.CreateClient(user);
        using var started = await client.PostAsync("/api/user/two_factor", null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var secret = (await started.JsonAsync())!["secret"]!.GetValue<string>();

        using var confirmed = await client.PostAsJsonAsync("/api/user/two_factor/confirm", new { otp = factory.CodeNow(secret) });
        var text = await confirmed.Content.ReadAsStringAsync();
        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, $"confirm answered {(int)confirmed.StatusCode}: {text}");
        var codes = (await confirmed.JsonAsync())!["recovery_codes"]!.AsArray().Select(code => code!.GetValue<string>()).ToArray();

        // The confirming code's step is spent; the next sign-in needs the next step's code.
        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        return (secret, codes);
    }

    /// <summary>The code an authenticator app shows now, by the server's clock.</summary>
    public static string CodeNow(this AdjustableClockServerFactory factory, string secret)
        => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(factory.Clock.GetUtcNow().UtcDateTime);

    public static Task<HttpResponseMessage> SignInWithAsync(this HttpClient client, string username, string password, string? otp = null)
        => client.PostAsJsonAsync("/api/session", otp is null ? new { username, password } : (object)new { username, password, otp });
}

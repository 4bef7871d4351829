using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Git;

/// <summary>
/// <c>Latchkey:ForwardAuth:Git:AllowPasswords</c> left at its default (off): an account password is refused on the
/// Git paths even for a user without two-factor authentication. Asked the way deploy/nginx/git.conf asks (the same
/// headers), against the in-memory server, since <see cref="GitOverHttpTests"/> runs its nginx with passwords on.
/// </summary>
public sealed class GitPasswordsOffTests : IClassFixture<LatchkeyServerFactory>
{
    private readonly LatchkeyServerFactory _factory;

    public GitPasswordsOffTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task An_account_password_is_refused_on_git_paths_with_a_message_to_use_a_token()
    {
        var user = await _factory.CreateUserAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/verify");
        request.Headers.Add("X-Original-Method", "GET");
        request.Headers.Add("X-Original-URI", "/demo.git/info/refs?service=git-upload-pack");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user.Username}:{user.Password}")));

        using var response = await _factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(["Basic realm=\"Latchkey\""], response.Headers.WwwAuthenticate.Select(challenge => challenge.ToString()));
        var message = Assert.Single(response.Headers.GetValues("X-Latchkey-Message"));
        Assert.Contains("personal access token", message, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("X-Latchkey-User"));
    }
}

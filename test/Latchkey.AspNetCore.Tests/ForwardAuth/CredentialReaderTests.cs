using System.Text;
using Microsoft.AspNetCore.Http;

namespace Latchkey.AspNetCore.Tests.ForwardAuth;

/// <summary>
/// Forward-auth reads a forwarded request's credential exactly as the authentication handler reads a request's own
/// (one <see cref="LatchkeyCredentialReader"/>), except that <c>private_token</c> comes from the original URI and a
/// cookie never counts.
/// </summary>
public sealed class CredentialReaderTests
{
    private static readonly LatchkeyAuthenticationOptions Defaults = new() { CookieName = "latchkey" };

    public static TheoryData<string[]> Positions => new()
    {
        new[] { "bearer" },
        new[] { "private" },
        new[] { "query" },
        new[] { "basic" },
        new[] { "bare" },
        new[] { "bearer", "private", "query" },
        new[] { "private", "query", "basic" },
        new[] { "query", "basic" },
        new[] { "query", "bare" },
        new[] { "basic", "cookie" },
    };

    // Each position carries its own name as the "token", so the test sees which one was read.
    private static (HttpRequest Request, string OriginalQuery) Build(string[] positions)
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        var query = string.Empty;
        foreach (var position in positions)
        {
            switch (position)
            {
                case "bearer":
                    request.Headers.Authorization = "Bearer bearer";
                    break;
                case "private":
                    request.Headers["PRIVATE-TOKEN"] = " private ";
                    break;
                case "query":
                    query = "page=2&PRIVATE_TOKEN=qu%65ry";
                    break;
                case "basic":
                    request.Headers.Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:basic"));
                    break;
                case "bare":
                    request.Headers.Authorization = "bare";
                    break;
                case "cookie":
                    request.Headers.Cookie = "latchkey=cookie";
                    break;
            }
        }

        return (request, query);
    }

    [Theory]
    [MemberData(nameof(Positions))]
    public void Forward_auth_reads_the_position_the_handler_reads(string[] positions)
    {
        var (own, query) = Build(positions);
        own.QueryString = query.Length == 0 ? QueryString.Empty : new QueryString("?" + query);
        var (forwarded, originalQuery) = Build(positions);

        var handlerRead = LatchkeyCredentialReader.Read(own, Defaults);
        var forwardRead = LatchkeyCredentialReader.ReadForwarded(forwarded, Defaults, originalQuery);

        Assert.Equal(positions[0], handlerRead);
        Assert.Equal(handlerRead, forwardRead);
    }

    [Fact]
    public void A_forwarded_request_never_authenticates_with_a_cookie_or_its_own_query()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = "latchkey=cookie";
        context.Request.QueryString = new QueryString("?private_token=own");

        Assert.Equal("own", LatchkeyCredentialReader.Read(context.Request, Defaults));
        Assert.Null(LatchkeyCredentialReader.ReadForwarded(context.Request, Defaults, "service=git-upload-pack"));
    }

    [Fact]
    public void The_schemes_switches_apply_to_forwarded_requests_too()
    {
        var (request, query) = Build(["query"]);
        var options = new LatchkeyAuthenticationOptions { AllowQueryString = false };
        Assert.Null(LatchkeyCredentialReader.ReadForwarded(request, options, query));
    }

    [Theory]
    [InlineData("alice:s3cret:with:colons", "alice", "s3cret:with:colons")]
    [InlineData(":only-password", "", "only-password")]
    public void Basic_yields_its_username_and_password_for_password_git_authentication(string pair, string username, string password)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(pair));
        Assert.True(LatchkeyCredentialReader.TryReadBasic(context.Request, out var user, out var secret));
        Assert.Equal((username, password), (user, secret));
    }

    [Theory]
    [InlineData("Basic !!!not-base64")]
    [InlineData("Basic bm8tY29sb24=")]
    [InlineData("Bearer abc")]
    public void Anything_else_is_not_a_username_and_password(string header)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = header;
        Assert.False(LatchkeyCredentialReader.TryReadBasic(context.Request, out _, out _));
    }
}

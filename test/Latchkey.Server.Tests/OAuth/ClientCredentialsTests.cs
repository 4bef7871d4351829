using System.Text;
using Latchkey.Server.OAuth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Latchkey.Server.Tests.OAuth;

/// <summary>Reading client_id and client_secret as RFC 6749 §2.3.1 sends them: HTTP Basic or parameters, never both.</summary>
public sealed class ClientCredentialsTests
{
    [Fact]
    public void Basic_credentials_are_form_url_decoded_after_base64()
    {
        // A secret holding ':', '+', '%' and a space, encoded as §2.3.1 asks: the colon inside is no separator.
        var request = Request(basic: "my%20client:s%3Acret%2B%25+x");

        var outcome = ClientCredentials.Read(request, form: null, out var credentials);

        Assert.Equal(ClientCredentialsOutcome.Read, outcome);
        Assert.Equal(new ClientCredentials("my client", "s:cret+% x"), credentials);
    }

    [Fact]
    public void Form_parameters_are_read_as_sent()
    {
        var form = Form(("client_id", "abc"), ("client_secret", "s+cret"));

        Assert.Equal(ClientCredentialsOutcome.Read, ClientCredentials.Read(Request(), form, out var credentials));
        Assert.Equal(new ClientCredentials("abc", "s+cret"), credentials);
    }

    [Fact]
    public void Query_parameters_count_when_there_is_no_form()
    {
        var request = Request(query: "?client_id=abc&client_secret=xyz");

        Assert.Equal(ClientCredentialsOutcome.Read, ClientCredentials.Read(request, form: null, out var credentials));
        Assert.Equal(new ClientCredentials("abc", "xyz"), credentials);
    }

    [Theory]
    [InlineData("client_id")]
    [InlineData("client_secret")]
    public void Basic_and_a_parameter_at_once_is_an_invalid_request(string parameter)
    {
        var request = Request(basic: "abc:xyz");
        var form = Form((parameter, "abc"));

        Assert.Equal(ClientCredentialsOutcome.MoreThanOneMethod, ClientCredentials.Read(request, form, out var credentials));
        Assert.Null(credentials);
    }

    [Fact]
    public void A_parameter_sent_twice_is_an_invalid_request()
    {
        var form = new FormCollection(new Dictionary<string, StringValues>
        {
            ["client_id"] = new(["abc", "abc"]),
            ["client_secret"] = "xyz",
        });

        Assert.Equal(ClientCredentialsOutcome.RepeatedParameter, ClientCredentials.Read(Request(), form, out _));
    }

    [Theory]
    [InlineData(null, "client_id=abc")]
    [InlineData(null, "client_secret=xyz")]
    [InlineData(null, "client_id=abc&client_secret=")]
    [InlineData("abc:", null)]
    [InlineData(":xyz", null)]
    [InlineData("no colon at all", null)]
    [InlineData(null, null)]
    public void A_missing_id_or_secret_is_an_invalid_client(string? basic, string? query)
    {
        var request = Request(basic: basic, query: query is null ? null : "?" + query);

        Assert.Equal(ClientCredentialsOutcome.Missing, ClientCredentials.Read(request, form: null, out var credentials));
        Assert.Null(credentials);
    }

    [Fact]
    public void A_basic_header_that_is_not_base64_is_an_invalid_client()
    {
        var request = Request();
        request.Headers.Authorization = "Basic not*base64!";

        Assert.Equal(ClientCredentialsOutcome.Missing, ClientCredentials.Read(request, form: null, out _));
    }

    [Fact]
    public void Printing_the_credentials_never_shows_the_secret()
    {
        // The client secret of /oauth/token is a personal access token: a logged record must not carry it.
        var printed = new ClientCredentials("abc", "lk_secret-value").ToString();

        Assert.Contains("abc", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("lk_secret-value", printed, StringComparison.Ordinal);
    }

    private static HttpRequest Request(string? basic = null, string? query = null)
    {
        var request = new DefaultHttpContext().Request;
        if (basic is not null)
        {
            request.Headers.Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(basic));
        }

        if (query is not null)
        {
            request.QueryString = new QueryString(query);
        }

        return request;
    }

    private static FormCollection Form(params (string Name, string Value)[] fields)
        => new(fields.ToDictionary(f => f.Name, f => new StringValues(f.Value)));
}

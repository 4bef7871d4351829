using System.Net;

namespace Latchkey.AspNetCore.Tests;

/// <summary><see cref="SecretRedaction.RedactQuery"/>, and request logging that uses it.</summary>
public sealed class SecretRedactionTests : IClassFixture<TestApp>
{
    private readonly TestApp _app;

    public SecretRedactionTests(TestApp app) => _app = app;

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("?", "?")]
    [InlineData("?private_token=abc", "?private_token=[Redacted]")]
    [InlineData("private_token=abc", "?private_token=[Redacted]")]
    [InlineData("?PRIVATE_TOKEN=abc", "?PRIVATE_TOKEN=[Redacted]")]
    [InlineData("?a=1&private_token=abc&b=2", "?a=1&private_token=[Redacted]&b=2")]
    [InlineData("?private%5Ftoken=abc", "?private%5Ftoken=[Redacted]")]
    [InlineData("?private_token", "?private_token=[Redacted]")]
    [InlineData("?private_token=", "?private_token=[Redacted]")]
    [InlineData("?private_token=a&private_token=b", "?private_token=[Redacted]&private_token=[Redacted]")]
    [InlineData("?access_token=1&token=2&client_secret=3&password=4&refresh_token=5&secret=6", "?access_token=[Redacted]&token=[Redacted]&client_secret=[Redacted]&password=[Redacted]&refresh_token=[Redacted]&secret=[Redacted]")]
    [InlineData("?tokens=abc&search=private_token&my_token=x", "?tokens=abc&search=private_token&my_token=x")]
    [InlineData("?page=2&per_page=20", "?page=2&per_page=20")]
    [InlineData("?%zz=1&private_token=x", "?%zz=1&private_token=[Redacted]")]
    [InlineData("?=abc&&private_token=x", "?=abc&&private_token=[Redacted]")]
    public void Query_values_that_are_credentials_are_masked_and_nothing_else(string? query, string expected)
        => Assert.Equal(expected, SecretRedaction.RedactQuery(query));

    [Fact]
    public void The_query_parameter_the_handler_reads_is_always_masked()
        => Assert.Contains(LatchkeyDefaults.QueryParameterName, SecretRedaction.SecretParameters);

    [Fact]
    public async Task Request_logging_records_the_query_with_the_credential_masked()
    {
        var (_, secret) = await _app.IssueAsync("read_api");
        using var response = await _app.CreateClient().GetAsync($"/read?marker=redaction-check&private_token={secret}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var logs = string.Join('\n', _app.LogLines);
        Assert.DoesNotContain(secret, logs);
        Assert.Contains("?marker=redaction-check&private_token=[Redacted]", logs);
    }
}

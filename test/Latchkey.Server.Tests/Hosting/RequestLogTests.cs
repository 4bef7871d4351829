using System.Net;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Hosting;

/// <summary>The request log shows the status the client got, so an operator counting 5xx counts them all.</summary>
public sealed class RequestLogTests : IClassFixture<RequestLogTests.Factory>
{
    private readonly Factory _factory;

    public RequestLogTests(Factory factory) => _factory = factory;

    public sealed class Factory : LatchkeyServerFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddTransient<IStartupFilter, FailingEndpointStartupFilter>());
        }
    }

    [Fact]
    public async Task A_request_that_fails_with_an_unhandled_exception_is_logged_as_the_500_it_answered()
    {
        using var response = await _factory.CreateClient().GetAsync(FailingEndpointStartupFilter.Path);

        await ProblemAssert.ProblemAsync(response, HttpStatusCode.InternalServerError);
        var logged = RequestLogLines(FailingEndpointStartupFilter.Path);
        Assert.Single(logged);
        Assert.Contains("StatusCode: 500", logged[0], StringComparison.Ordinal);
    }

    private List<string> RequestLogLines(string path)
        => _factory.Logs.Lines
            .Where(line => line.Contains("HttpLoggingMiddleware", StringComparison.Ordinal) && line.Contains($"Path: {path}\n", StringComparison.Ordinal))
            .ToList();
}

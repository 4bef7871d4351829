using System.Net;
using BenchmarkDotNet.Attributes;
using Latchkey.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Benchmarks;

/// <summary>
/// The ASP.NET Core side of a request, in process: a request scope, <c>UseAuthentication()</c> running the
/// Latchkey handler (credential from the header, validation, principal) and a terminal endpoint that reads
/// the user — everything but the sockets, HTTP parsing, routing and the endpoint's own work. The token is
/// cached, as it is for all but the first request of a client.
/// </summary>
public class AuthenticationHandlerBenchmarks
{
    private BenchHost _host = null!;
    private RequestDelegate _pipeline = null!;
    private string _bearer = "";
    private string _privateToken = "";

    [GlobalSetup]
    public void Setup()
    {
        var folder = SeededDataset.GetOrCreate(10_000);
        _host = BenchHost.Open(folder);
        var token = TokenSeeder.ReadSample(folder)[0];
        _bearer = "Bearer " + token;
        _privateToken = token;

        var app = new ApplicationBuilder(_host.Services);
        app.UseAuthentication();
        app.Run(context =>
        {
            context.Response.StatusCode = context.User.Identity?.IsAuthenticated == true ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        });
        _pipeline = app.Build();

        if (Send(_bearer, null).GetAwaiter().GetResult() != StatusCodes.Status200OK)
        {
            throw new InvalidOperationException("The seeded token was refused.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark(Baseline = true)]
    public Task<int> No_credential() => Send(null, null);

    [Benchmark]
    public Task<int> Authorization_bearer() => Send(_bearer, null);

    [Benchmark]
    public Task<int> Private_token_header() => Send(null, _privateToken);

    private async Task<int> Send(string? authorization, string? privateToken)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/api/tokens/self";
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        if (privateToken is not null)
        {
            context.Request.Headers[LatchkeyDefaults.PrivateTokenHeaderName] = privateToken;
        }

        await _pipeline(context);
        return context.Response.StatusCode;
    }
}

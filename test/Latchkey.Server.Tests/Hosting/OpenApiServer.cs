using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Hosting;

/// <summary>
/// The server for <see cref="OpenApiDocumentTests"/>, which fetches <c>/openapi/v1.json</c> once: the document is
/// the same for every test, and generating it (about 180 kB) was most of each of the fifty-odd tests' time.
/// </summary>
public sealed class OpenApiServer : LatchkeyServerFactory
{
    private readonly Lazy<Task<JsonObject>> _document;

    public OpenApiServer() => _document = new(FetchDocumentAsync);

    public Task<JsonObject> DocumentAsync() => _document.Value;

    private async Task<JsonObject> FetchDocumentAsync()
    {
        using var response = await CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())!.AsObject();
    }
}

using System.Net.Http.Headers;

namespace Latchkey.Server.Tests.Hosting;

/// <summary>One real request for an operation of the OpenAPI document; the body is kept as text so it can be sent again.</summary>
internal sealed record OpenApiExample(string Method, string Url, string? Token)
{
    public string? Body { get; init; }

    public string ContentType { get; init; } = "application/json";

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public OpenApiExample WithoutCredential() => this with { Token = null };

    public HttpRequestMessage ToRequest()
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), Url);
        if (Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (Body is not null)
        {
            request.Content = new StringContent(Body, System.Text.Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        }

        return request;
    }

    public override string ToString() => $"{Method} {Url}{(Body is null ? string.Empty : $" {ContentType} {Body}")}{(Token is null ? " (no credential)" : string.Empty)}";
}

namespace Latchkey.Server.Tests.BadInput;

/// <summary>
/// A route that reads a request body, as the bad-input generator feeds it: its key as routing knows it
/// (<c>POST /api/tokens/{id:long}/rotate</c>), how to fill in its path, the JSON body it takes with <c>§</c> where a
/// string goes (<c>null</c> for a route that reads no JSON), the field that string belongs to, and the error shape
/// it answers in.
/// </summary>
public sealed record BodyRoute(
    string Key,
    BodyRouteShape Shape,
    string? JsonTemplate,
    string Field,
    bool AcceptsForm = false,
    string JsonContentType = "application/json",
    bool Anonymous = false,
    bool AsSelfToken = false)
{
    public string Method => Key[..Key.IndexOf(' ', StringComparison.Ordinal)];

    public string Pattern => Key[(Key.IndexOf(' ', StringComparison.Ordinal) + 1)..];

    public override string ToString() => Key;
}

using System.Text;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.ForwardAuth;

/// <summary>
/// What reaches <c>/auth/verify</c> on real Kestrel, byte for byte, from a proxy that forwards whatever the client
/// sent: raw UTF-8 or broken bytes in <c>X-Original-URI</c>, a header beyond the limits. Always a 4xx, never a 500.
/// </summary>
public sealed class ForwardAuthWireTests : IClassFixture<ForwardAuthLiveServer>
{
    private readonly ForwardAuthLiveServer _server;

    public ForwardAuthWireTests(ForwardAuthLiveServer server) => _server = server;

    private Task<RawHttp.Answer> SendAsync(byte[] originalUri)
    {
        var host = new Uri(_server.BaseAddress).Authority;
        var head = Encoding.ASCII.GetBytes($"GET /auth/verify HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nX-Original-Method: GET\r\nX-Original-URI: ");
        return RawHttp.SendBytesAsync(_server.BaseAddress, [.. head, .. originalUri, .. "\r\n\r\n"u8]);
    }

    public static TheoryData<string, byte[]> Garbage => new()
    {
        { "invalid UTF-8", [(byte)'/', 0xC3, 0x28, (byte)'x'] },
        { "raw UTF-8", [.. "/caf"u8, 0xC3, 0xA9] },
        { "a NUL byte escaped", [.. "/a%00b"u8] },
        { "an escape that is not UTF-8", [.. "/%C3%28"u8] },
        { "a URI beyond the header limits", [(byte)'/', .. Enumerable.Repeat((byte)'a', 64 * 1024)] },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task Garbage_in_the_original_uri_is_a_4xx_not_a_500(string what, byte[] originalUri)
    {
        var answer = await SendAsync(originalUri);
        Assert.True(answer.Status is >= 400 and < 500, $"{what}: {answer.Status} {answer.Body}");
        Assert.DoesNotContain("   at ", answer.Body);
    }

    [Fact]
    public async Task An_escape_that_is_not_UTF_8_is_answered_by_forward_auth_with_its_message()
    {
        var answer = await SendAsync([.. "/%C3%28"u8]);
        Assert.Equal((400, "text/plain"), (answer.Status, answer.MediaType));
        Assert.Contains("X-Original-URI", answer.Body);
    }

    // Envoy's ext_authz appends the original path as the client sent it. The upstream decodes it once and serves
    // /admin/%2e%2e/public/x under /admin/; decoded twice it would look like /public/x and miss the Deny rule.
    [Fact]
    public async Task An_envoy_path_is_decoded_once_so_a_double_encoded_dot_segment_does_not_slip_past_a_rule()
    {
        var host = new Uri(_server.BaseAddress).Authority;
        var answer = await RawHttp.SendBytesAsync(
            _server.BaseAddress,
            Encoding.ASCII.GetBytes($"GET /auth/verify/admin/%252e%252e/public/x HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        Assert.Equal(403, answer.Status);
    }

    [Fact]
    public async Task An_envoy_git_path_without_a_credential_asks_for_one()
    {
        var host = new Uri(_server.BaseAddress).Authority;
        var answer = await RawHttp.SendBytesAsync(
            _server.BaseAddress,
            Encoding.ASCII.GetBytes($"GET /auth/verify/demo.git/info/refs?service=git-upload-pack HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        Assert.Equal(401, answer.Status);
        Assert.Contains("personal access token", answer.Body);
    }

    [Fact]
    public async Task The_site_root_behind_envoy_is_judged_as_slash()
    {
        var host = new Uri(_server.BaseAddress).Authority;
        var answer = await RawHttp.SendBytesAsync(
            _server.BaseAddress,
            Encoding.ASCII.GetBytes($"GET /auth/verify/?page=2 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        Assert.Equal(401, answer.Status);
        Assert.Contains("personal access token", answer.Body);
    }

    // Envoy's path is Envoy's; a client header describing another request (an operator allowing x-* headers through)
    // is refused like the other conventions that disagree, never believed over the path.
    [Theory]
    [InlineData("X-Original-URI: /public/x")]
    [InlineData("X-Forwarded-Method: GET")]
    public async Task A_client_header_disagreeing_with_envoys_path_is_refused(string header)
    {
        var host = new Uri(_server.BaseAddress).Authority;
        var answer = await RawHttp.SendBytesAsync(
            _server.BaseAddress,
            Encoding.ASCII.GetBytes($"DELETE /auth/verify/admin/x HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{header}\r\n\r\n"));
        Assert.Equal(400, answer.Status);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Latchkey.Benchmarks;

/// <summary>
/// How long a revocation on node A takes to reach node B: for each of <c>count</c> tokens, create it on A, use it on
/// B until B answers 200 (so B has it cached — the case a revocation must overcome), revoke it on A, and from the
/// moment A acknowledged the revocation ask B again, back to back, until B answers 401. The figure is the time
/// from A's acknowledgement to B's first refusal, as a client racing the revocation would see it; B's answers take
/// a few hundred microseconds each, which bounds the measurement's resolution.
/// </summary>
internal static class Propagation
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(Uri nodeA, Uri nodeB, string credential, int count, TextWriter output, CancellationToken cancellationToken)
    {
        using var a = new HttpClient { BaseAddress = nodeA };
        using var b = new HttpClient { BaseAddress = nodeB };
        a.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        var ticks = new List<long>(count);
        var lost = 0;
        for (var i = 0; i < count; i++)
        {
            using var created = await a.PostAsJsonAsync("/api/tokens", new { name = $"propagation-{i}", scopes = new[] { "read_api" } }, cancellationToken);
            if (created.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"Creating a token on A answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync(cancellationToken)}");
            }

            using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync(cancellationToken));
            var id = body.RootElement.GetProperty("id").GetInt64();
            var secret = body.RootElement.GetProperty("token").GetString()!;
            var deadline = Stopwatch.GetTimestamp() + (long)(GiveUpAfter.TotalSeconds * Stopwatch.Frequency);
            HttpStatusCode onB;
            while ((onB = await SelfAsync(b, secret, cancellationToken)) != HttpStatusCode.OK)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new InvalidOperationException($"Node B never accepted a token created on node A: it answered {(int)onB} for {GiveUpAfter.TotalSeconds:F0} s.");
                }
            }

            using var revoked = await a.DeleteAsync($"/api/tokens/{id}", cancellationToken);
            var acknowledged = Stopwatch.GetTimestamp();
            if (!revoked.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Revoking on A answered {(int)revoked.StatusCode}.");
            }

            deadline = acknowledged + (long)(GiveUpAfter.TotalSeconds * Stopwatch.Frequency);
            while (true)
            {
                var status = await SelfAsync(b, secret, cancellationToken);
                var now = Stopwatch.GetTimestamp();
                if (status == HttpStatusCode.Unauthorized)
                {
                    ticks.Add(now - acknowledged);
                    break;
                }

                if (now > deadline)
                {
                    lost++;
                    break;
                }
            }
        }

        ticks.Sort();
        var overOneSecond = ticks.Count(t => t > Stopwatch.Frequency);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"revocation propagation A→B: n={ticks.Count} p50={Millis(Percentile(ticks, 50))} p90={Millis(Percentile(ticks, 90))} p99={Millis(Percentile(ticks, 99))} max={Millis(ticks[^1])} (ms); over 1 s: {overOneSecond}; never refused within {GiveUpAfter.TotalSeconds:F0} s: {lost}"));
        return lost == 0 ? 0 : 1;
    }

    private static async Task<HttpStatusCode> SelfAsync(HttpClient node, string secret, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tokens/self");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using var response = await node.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    // Nearest-rank percentile.
    private static long Percentile(List<long> sorted, double percent)
        => sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string Millis(long ticks) => (ticks * 1000.0 / Stopwatch.Frequency).ToString("F1", CultureInfo.InvariantCulture);
}

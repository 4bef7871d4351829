using System.Diagnostics;
using System.Net;

namespace Latchkey.Server.Tests.Nodes;

/// <summary>What a client of one node sees after a change made on another.</summary>
public static class NodeAssert
{
    /// <summary>
    /// Asks <c>/api/tokens/self</c> with <paramref name="client"/>'s token every 25 ms until it answers 401, and fails
    /// unless the 401 has arrived within <paramref name="bound"/> of <paramref name="changed"/> (started when the
    /// change was answered). Any answer but 200 or 401 fails at once. Returns how long it took.
    /// </summary>
    public static async Task<TimeSpan> RefusedWithinAsync(HttpClient client, Stopwatch changed, TimeSpan bound, string what)
    {
        while (true)
        {
            using var answer = await client.GetAsync("/api/tokens/self");
            var elapsed = changed.Elapsed;
            Assert.True(
                answer.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized,
                $"{client.BaseAddress} answered {(int)answer.StatusCode} while it should learn that {what}");
            Assert.True(elapsed < bound, $"{client.BaseAddress} had not refused the token {elapsed.TotalMilliseconds:0} ms after {what} (bound {bound.TotalMilliseconds:0} ms)");
            if (answer.StatusCode == HttpStatusCode.Unauthorized)
            {
                return elapsed;
            }

            await Task.Delay(25);
        }
    }

    /// <summary>The status of <c>/api/tokens/self</c> for <paramref name="token"/> at <paramref name="node"/>.</summary>
    public static async Task<HttpStatusCode> SelfAsync(Uri node, string token)
    {
        using var client = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var answer = await client.GetAsync("/api/tokens/self");
        return answer.StatusCode;
    }
}

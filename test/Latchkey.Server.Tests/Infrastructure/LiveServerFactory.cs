namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>
/// The server on real Kestrel at a free loopback port, for clients that cannot use the in-memory test server:
/// curl, the npm SDKs, git.
/// </summary>
public class LiveServerFactory : LatchkeyServerFactory
{
    public LiveServerFactory()
    {
        UseKestrel(0);
        StartServer();
        BaseAddress = ClientOptions.BaseAddress.ToString().TrimEnd('/');
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseAddress { get; }
}

using System.Net;
using System.Net.Sockets;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>Ports for processes a test starts itself (the real server, nginx) on 127.0.0.1.</summary>
public static class LoopbackPorts
{
    /// <summary>A port nobody listens on at the moment of asking (the system picks it, so parallel tests do not collide).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

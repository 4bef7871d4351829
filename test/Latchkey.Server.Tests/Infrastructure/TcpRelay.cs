using System.Net;
using System.Net.Sockets;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>
/// A TCP relay on a loopback port to another address (a database server), which a test cuts to make that server
/// unreachable to whoever connects through it, and restores: <see cref="Cut"/> refuses new connections and resets the
/// open ones, as a server that went away or a broken network does; <see cref="Restore"/> listens again on the same port.
/// The server behind it keeps running for everyone else.
/// </summary>
public sealed class TcpRelay : IDisposable
{
    private readonly IPEndPoint _target;
    private readonly Lock _gate = new();
    private readonly List<Socket> _open = [];
    private TcpListener? _listener;

    private TcpRelay(IPEndPoint target)
    {
        _target = target;
        Port = Listen(0);
    }

    /// <summary>The loopback port to connect to instead of the target's.</summary>
    public int Port { get; }

    public static TcpRelay To(string host, int port)
        => new(new IPEndPoint(IPAddress.TryParse(host, out var address) ? address : Dns.GetHostAddresses(host)[0], port));

    /// <summary>Stops listening (connecting is refused) and resets every relayed connection, both ways.</summary>
    public void Cut()
    {
        Socket[] open;
        lock (_gate)
        {
            _listener?.Stop();
            _listener = null;
            open = [.. _open];
            _open.Clear();
        }

        foreach (var socket in open)
        {
            Reset(socket);
        }
    }

    /// <summary>Listens again on <see cref="Port"/>.</summary>
    public void Restore()
    {
        lock (_gate)
        {
            if (_listener is null)
            {
                Listen(Port);
            }
        }
    }

    public void Dispose() => Cut();

    private int Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        _ = AcceptAsync(listener);
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync();
            }
            catch (Exception stopped) when (stopped is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await server.ConnectAsync(_target);
        }
        catch (SocketException)
        {
            Reset(client);
            server.Dispose();
            return;
        }

        lock (_gate)
        {
            if (_listener is null)
            {
                // Cut while connecting.
                Reset(client);
                Reset(server);
                return;
            }

            _open.Add(client);
            _open.Add(server);
        }

        await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        lock (_gate)
        {
            _open.Remove(client);
            _open.Remove(server);
        }

        Reset(client);
        Reset(server);
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception closed) when (closed is SocketException or ObjectDisposedException)
        {
        }
    }

    // Linger 0: closing sends RST, so the peer's next read or write fails at once, as on a connection the network lost.
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception closed) when (closed is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }
}

using System.Net;
using System.Net.Sockets;

namespace SdApi.Contract.Hosting;

/// <summary>A free TCP port on 127.0.0.1 (asks the OS for one, then releases it for the child process to bind).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

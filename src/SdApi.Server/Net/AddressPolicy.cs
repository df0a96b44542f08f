using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using SdApi.Server.Configuration;

namespace SdApi.Server.Net;

/// <summary>Which addresses an outgoing request (init_image, mask_image, webhook) may connect to. By default no
/// loopback, private, link-local, shared, multicast or metadata address, whatever the spelling: the check runs on
/// the address actually connected to, after DNS, with IPv4-mapped/compatible and NAT64/6to4 IPv6 unwrapped.</summary>
public sealed class AddressPolicy
{
    private static readonly IPNetwork[] BlockedV4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),        // "this network"; 0.0.0.0 reaches localhost on Linux
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),    // carrier-grade NAT
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),   // link-local, cloud metadata (169.254.169.254)
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),     // IETF protocol assignments (incl. some metadata services)
        IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.88.99.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("198.51.100.0/24"),
        IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"),      // multicast
        IPNetwork.Parse("240.0.0.0/4"),      // reserved + broadcast
    ];

    private static readonly IPNetwork[] BlockedV6 =
    [
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("fc00::/7"),         // unique local (incl. fd00:ec2::254 metadata)
        IPNetwork.Parse("fe80::/10"),        // link-local
        IPNetwork.Parse("fec0::/10"),        // old site-local
        IPNetwork.Parse("ff00::/8"),         // multicast
        IPNetwork.Parse("100::/64"),         // discard
        IPNetwork.Parse("2001:db8::/32"),    // documentation
    ];

    private readonly bool _allowPrivate;
    private readonly IReadOnlyList<IPNetwork> _allowedNetworks;
    private readonly HashSet<string> _allowedNames;

    public AddressPolicy(IOptions<ServerOptions> options)
    {
        var fetch = options.Value.UrlFetch;
        _allowPrivate = fetch.AllowPrivateNetworks;
        var networks = new List<IPNetwork>();
        _allowedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in fetch.AllowedHosts.Where(e => !string.IsNullOrWhiteSpace(e)))
        {
            if (IPNetwork.TryParse(entry, out var network))
                networks.Add(network);
            else if (IPAddress.TryParse(entry, out var address))
                networks.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            else
                _allowedNames.Add(entry.Trim());
        }
        _allowedNetworks = networks;
    }

    /// <summary>True when the host name itself is on the allow-list (then any address it resolves to is allowed).</summary>
    public bool IsAllowedName(string host) => _allowedNames.Contains(host);

    public bool IsAllowed(IPAddress address)
    {
        if (_allowPrivate)
            return true;
        foreach (var network in _allowedNetworks)
            if (network.Contains(address) || (address.IsIPv4MappedToIPv6 && network.Contains(address.MapToIPv4())))
                return true;
        return !IsBlocked(address);
    }

    /// <summary>True for every address that is not a public unicast address.</summary>
    public static bool IsBlocked(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return BlockedV4.Any(n => n.Contains(address));
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return true;
        if (Embedded(address) is { } v4)
            return IsBlocked(v4);
        if (address.IsIPv6SiteLocal || address.IsIPv6LinkLocal || address.IsIPv6Multicast)
            return true;
        return BlockedV6.Any(n => n.Contains(address));
    }

    /// <summary>The IPv4 address an IPv6 address carries: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d),
    /// NAT64 (64:ff9b::/96) or 6to4 (2002:aabb:ccdd::/48).</summary>
    private static IPAddress? Embedded(IPAddress v6)
    {
        if (v6.IsIPv4MappedToIPv6)
            return v6.MapToIPv4();
        var b = v6.GetAddressBytes();
        var zeroPrefix = b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        if (zeroPrefix && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] <= 1))
            return new IPAddress(b.AsSpan(12, 4));
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
            return new IPAddress(b.AsSpan(12, 4));
        if (b[0] == 0x20 && b[1] == 0x02)
            return new IPAddress(b.AsSpan(2, 4));
        return null;
    }
}

using System.Net;
using System.Net.Sockets;

namespace PasswordlessBff.Limits;

// The unit a per-client limit counts (SECURITY.md item 13): one IPv4 address, or one IPv6 /64, since a single
// subscriber is routinely handed a whole /64 and could otherwise pick a fresh address for every request.
public static class ClientKey
{
    public const string Unknown = "unknown";

    public static string For(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; they are still one IPv4 address each.
            return address.MapToIPv4().ToString();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return $"{new IPAddress(bytes)}/64";
    }
}

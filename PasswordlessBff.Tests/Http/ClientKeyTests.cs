using System.Net;
using PasswordlessBff.Http;
using PasswordlessBff.Limits;

namespace PasswordlessBff.Tests.Http;

// SECURITY.md items 12 and 13: the per-client limit counts one IPv4 address or one IPv6 /64.
public sealed class ClientKeyTests
{
    [Fact]
    public void TwoAddressesInOneIpv6Slash64ShareAKey()
    {
        Assert.Equal(Key("2001:db8:1:2::1"), Key("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        Assert.Equal("2001:db8:1:2::/64", Key("2001:db8:1:2:abcd::7"));
    }

    [Fact]
    public void AddressesInDifferentIpv6Slash64sHaveDifferentKeys()
    {
        Assert.NotEqual(Key("2001:db8:1:2::1"), Key("2001:db8:1:3::1"));
        Assert.NotEqual(Key("2001:db8::1"), Key("2001:db8:0:1::1"));
    }

    [Fact]
    public void AnIpv4MappedIpv6AddressHasTheKeyOfItsIpv4Address()
    {
        Assert.Equal("192.0.2.7", Key("::ffff:192.0.2.7"));
        Assert.Equal(Key("192.0.2.7"), Key("::ffff:192.0.2.7"));
    }

    [Fact]
    public void EachIpv4AddressHasItsOwnKey()
    {
        Assert.Equal("192.0.2.7", Key("192.0.2.7"));
        Assert.NotEqual(Key("192.0.2.7"), Key("192.0.2.8"));
    }

    [Fact]
    public void NoAddressIsOneUnknownClient() => Assert.Equal(ClientKey.Unknown, ClientKey.For(null));

    private static string Key(string address) => ClientKey.For(IPAddress.Parse(address));
}

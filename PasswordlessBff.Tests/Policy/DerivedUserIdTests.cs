using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;
using PasswordlessBff.Tests.Sessions;

namespace PasswordlessBff.Tests.Policy;

// Without a hook every session still has a user id: opaque, and the same for one address every time.
public sealed class DerivedUserIdTests(Bff<SqliteStore, Defaults> factory) : IClassFixture<Bff<SqliteStore, Defaults>>
{
    [Fact]
    public async Task WithoutAHookTheUserIdIsTheSameForOneAddressDifferentForAnotherAndDoesNotShowTheAddress()
    {
        using var first = factory.NewBrowser();
        using var again = factory.NewBrowser();
        using var other = factory.NewBrowser();
        var email = Addresses.Unique("stable");
        await SessionKit.SignInWithCodeAsync(factory, first, email);
        await SessionKit.SignInWithCodeAsync(factory, again, email, nth: 2);
        await SessionKit.SignInWithCodeAsync(factory, other);

        var id = await UserIdAsync(first);

        Assert.Equal(id, await UserIdAsync(again));
        Assert.NotEqual(id, await UserIdAsync(other));
        Assert.StartsWith("u_", id, StringComparison.Ordinal);
        Assert.DoesNotContain(email.Split('@')[0], id, StringComparison.OrdinalIgnoreCase);
        var me = await PolicyKit.JsonAsync(await first.GetAsync(SessionApi.MePath));
        Assert.Empty(me.GetProperty("roles").EnumerateArray());
    }

    private static async Task<string> UserIdAsync(Browser browser) =>
        (await PolicyKit.JsonAsync(await browser.GetAsync(SessionApi.SessionPath))).GetProperty("userId").GetString()!;
}

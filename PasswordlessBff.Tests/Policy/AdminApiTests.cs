using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using PasswordlessBff.Admin;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;
using PasswordlessBff.Tests.Sessions;

namespace PasswordlessBff.Tests.Policy;

// The admin API on, with the hook naming users: what the team's servers do when their side changes.
public sealed class WithAdminKey : ISettingsProfile
{
    public const string Key = "admin-key-for-tests-0123456789abcdef";

    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(PolicyHookServer.Shared.Settings())
    {
        ["Admin:ApiKeys:0"] = "another-admin-key-0123456789abcdefgh",
        ["Admin:ApiKeys:1"] = Key,
    };
}

// Two instances sharing one Redis: a revocation through either ends the sessions on both.
public sealed class AdminApiTests(Bff<RedisStore, WithAdminKey> a) : IClassFixture<Bff<RedisStore, WithAdminKey>>
{
    [Fact]
    public async Task RevokingAUserIdEndsEverySessionOfThatUserOnBothInstancesAndNoOneElses()
    {
        await using var b = a.CreateSibling();
        var userId = $"u_{Guid.NewGuid():N}";
        using var onA = a.NewBrowser();
        using var onB = new Browser(b);
        using var bystander = a.NewBrowser();
        foreach (var (factory, browser, email) in new[] { (a, onA, Addresses.Unique("work")), (b, onB, Addresses.Unique("home")) })
        {
            PolicyHookServer.Shared.Answer(email, HookReply.Allow(userId, ["admin"]));
            await Expect.StatusAsync((await PolicyKit.SignInAsync(factory, browser, email)).Verified, HttpStatusCode.OK);
        }
        await SessionKit.SignInWithCodeAsync(a, bystander);
        // A and B now hold the sessions in their caches.
        await Expect.StatusAsync(await onA.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
        await Expect.StatusAsync(await onB.GetAsync(SessionApi.MePath), HttpStatusCode.OK);

        var listed = await PolicyKit.JsonAsync(await Admin(b).GetAsync($"{AdminApi.SessionsPath}?userId={userId}"));
        Assert.Equal(2, listed.GetProperty("sessions").GetArrayLength());
        var revoked = await PolicyKit.JsonAsync(await Admin(b).PostAsJsonAsync(AdminApi.RevokePath, new { userId }));

        Assert.Equal(2, revoked.GetProperty("revoked").GetInt32());
        foreach (var host in new BffFactory[] { a, b })
        {
            await Eventually.StatusAsync(() => new Browser(host, onA.Cookies).GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(1));
            await Eventually.StatusAsync(() => new Browser(host, onB.Cookies).GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(1));
        }
        await Expect.StatusAsync(await bystander.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
        Assert.Equal(0, (await PolicyKit.JsonAsync(await Admin(a).GetAsync($"{AdminApi.SessionsPath}?userId={userId}"))).GetProperty("sessions").GetArrayLength());
    }

    [Fact]
    public async Task RevokingAnAddressEndsItsSessionsOnBothInstancesWhateverItsSpelling()
    {
        await using var b = a.CreateSibling();
        using var onA = a.NewBrowser();
        var signedIn = await SessionKit.SignInWithCodeAsync(a, onA);
        await Expect.StatusAsync(await new Browser(b, onA.Cookies).GetAsync(SessionApi.MePath), HttpStatusCode.OK);

        var revoked = await PolicyKit.JsonAsync(await Admin(a).PostAsJsonAsync(AdminApi.RevokePath, new { email = "  " + signedIn.Email.ToUpperInvariant() }));

        Assert.Equal(1, revoked.GetProperty("revoked").GetInt32());
        await Eventually.StatusAsync(() => new Browser(b, onA.Cookies).GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task ARequestCarryingOurCookiesIsRefusedEvenWithTheRightKey()
    {
        using var browser = a.NewBrowser();
        await SessionKit.SignInWithCodeAsync(a, browser);
        using var request = new HttpRequestMessage(HttpMethod.Post, AdminApi.RevokePath) { Content = JsonContent.Create(new { userId = "u_1" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WithAdminKey.Key);

        await Expect.ProblemAsync(await browser.Http.SendAsync(request), HttpStatusCode.Forbidden, "cookies_not_allowed");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("admin-key-for-tests-0123456789abcdeX")]
    [InlineData("")]
    public async Task AMissingOrWrongKeyIs401AdminKeyInvalid(string? key)
    {
        using var client = a.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        var answer = await client.PostAsJsonAsync(AdminApi.RevokePath, new { userId = "u_1" });

        await Expect.ProblemAsync(answer, HttpStatusCode.Unauthorized, "admin_key_invalid");
        Assert.Equal("Bearer", answer.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task ARevocationNamesExactlyOneOfUserIdAndAValidEmail()
    {
        foreach (var body in new object[] { new { }, new { userId = "u_1", email = "ada@example.com" }, new { email = "not an address" } })
        {
            await Expect.ProblemAsync(await Admin(a).PostAsJsonAsync(AdminApi.RevokePath, body), HttpStatusCode.BadRequest, "validation_failed");
        }
        await Expect.ProblemAsync(await Admin(a).GetAsync(AdminApi.SessionsPath), HttpStatusCode.BadRequest, "validation_failed");
    }

    private static HttpClient Admin(BffFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WithAdminKey.Key);
        return client;
    }
}

public sealed class AdminApiAbsentTests(Bff<SqliteStore, Defaults> factory) : IClassFixture<Bff<SqliteStore, Defaults>>
{
    [Fact]
    public async Task WithNoKeyConfiguredTheAdminApiDoesNotExist()
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WithAdminKey.Key);

        await Expect.ProblemAsync(await client.PostAsJsonAsync(AdminApi.RevokePath, new { userId = "u_1" }), HttpStatusCode.NotFound, "not_found");
        await Expect.ProblemAsync(await client.GetAsync($"{AdminApi.SessionsPath}?userId=u_1"), HttpStatusCode.NotFound, "not_found");
    }
}

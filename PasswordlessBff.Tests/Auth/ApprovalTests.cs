using System.Net;
using System.Net.Http.Json;
using PasswordlessBff.Auth;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Auth;

public abstract class ApprovalTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    private const string Laptop = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

    [Fact]
    public async Task TheRightNumberSignsInTheAskingBrowserOnlyAndTheApprovalConsumesNothing()
    {
        var (asking, sent, mail) = await AskAsync();
        using var phone = factory.NewBrowser();

        var details = await phone.PostAsync(ApprovalApi.Prefix + "/details", new { linkToken = mail.LinkToken });
        await Expect.StatusAsync(details, HttpStatusCode.OK);
        Assert.Equal("Chrome on macOS", (await details.Content.ReadFromJsonAsync<ApprovalDetails>())!.AskedBy);
        await Expect.StatusAsync(await asking.PostAsync(ApprovalApi.CompletePath), HttpStatusCode.Accepted);

        await Expect.StatusAsync(await phone.PostAsync(ApprovalApi.Prefix + "/approve", new { linkToken = mail.LinkToken, number = sent.ApprovalNumber }),
            HttpStatusCode.OK);
        await Expect.ProblemAsync(await phone.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");
        await Expect.ProblemAsync(await phone.PostAsync(ApprovalApi.CompletePath, new { authRequestId = sent.AuthRequestId }),
            HttpStatusCode.BadRequest, "auth_request_invalid");
        Assert.False((await factory.LoginAsync(sent.AuthRequestId))!.Completed);

        await Expect.StatusAsync(await asking.PostAsync(ApprovalApi.CompletePath), HttpStatusCode.OK);
        await Expect.StatusAsync(await asking.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
        await Expect.ProblemAsync(await asking.VerifyCodeAsync(mail.Code!), HttpStatusCode.BadRequest, "auth_request_invalid");
    }

    [Fact]
    public async Task AWrongNumberEndsTheLoginAndTheAskingBrowserIsTold()
    {
        var (asking, sent, mail) = await AskAsync();
        using var phone = factory.NewBrowser();
        var wrong = ((int.Parse(sent.ApprovalNumber!, System.Globalization.CultureInfo.InvariantCulture) + 1) % 100).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

        await Expect.ProblemAsync(await phone.PostAsync(ApprovalApi.Prefix + "/approve", new { linkToken = mail.LinkToken, number = wrong }),
            HttpStatusCode.BadRequest, "approval_number_wrong");
        await Expect.ProblemAsync(await phone.PostAsync(ApprovalApi.Prefix + "/approve", new { linkToken = mail.LinkToken, number = sent.ApprovalNumber }),
            HttpStatusCode.Forbidden, "approval_refused");

        await Expect.ProblemAsync(await asking.PostAsync(ApprovalApi.CompletePath), HttpStatusCode.Forbidden, "approval_refused");
        await Expect.ProblemAsync(await asking.VerifyCodeAsync(mail.Code!), HttpStatusCode.TooManyRequests, "too_many_attempts");
    }

    [Fact]
    public async Task ThisWasntMeEndsTheLoginAndTheAskingBrowserIsTold()
    {
        var (asking, _, mail) = await AskAsync();
        using var phone = factory.NewBrowser();

        await Expect.StatusAsync(await phone.PostAsync(ApprovalApi.Prefix + "/refuse", new { linkToken = mail.LinkToken }), HttpStatusCode.OK);

        await Expect.ProblemAsync(await asking.PostAsync(ApprovalApi.CompletePath), HttpStatusCode.Forbidden, "approval_refused");
        Assert.Equal(401, (int)(await asking.GetAsync(SessionApi.MePath)).StatusCode);
    }

    [Fact]
    public async Task ScannerFetchesOfTheLinkAndTheApprovalRoutesApproveNothing()
    {
        var (asking, sent, mail) = await AskAsync();
        using var scanner = new HttpClient(factory.Server.CreateHandler()) { BaseAddress = Browser.BaseAddress };

        await scanner.SendAsync(new HttpRequestMessage(HttpMethod.Head, mail.Link!.PathAndQuery));
        await Expect.ApprovalPageAsync(await scanner.GetAsync(mail.Link.PathAndQuery));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await scanner.GetAsync($"{ApprovalApi.Prefix}/approve?linkToken={mail.LinkToken}&number={sent.ApprovalNumber}")).StatusCode);
        var withoutCsrf = await scanner.PostAsJsonAsync(ApprovalApi.Prefix + "/approve", new { linkToken = mail.LinkToken, number = sent.ApprovalNumber });
        await Expect.ProblemAsync(withoutCsrf, HttpStatusCode.Forbidden, "csrf_header_missing");

        await Expect.StatusAsync(await asking.PostAsync(ApprovalApi.CompletePath), HttpStatusCode.Accepted);
        Assert.Equal(0, (await factory.LoginAsync(sent.AuthRequestId))!.FailedAttempts);
        Expect.RedirectTo(await asking.OpenLinkAsync(mail.Link), "/");
    }

    [Fact]
    public async Task AnAppsLinkOpenedInABrowserIsApprovedThereAndTheAppsPollCompletesWithItsVerifier()
    {
        using var app = new HttpClient(factory.Server.CreateHandler()) { BaseAddress = Browser.BaseAddress };
        var verifier = new string('v', 43);
        var email = Addresses.Unique("app");
        var sent = (await (await Post(app, AuthApi.SendPath, new { email, codeChallenge = Pkce.ChallengeOf(verifier), codeChallengeMethod = "S256" }))
            .Content.ReadFromJsonAsync<SendResponse>())!;
        var mail = await LoginMail.ReceiveAsync(factory, email);
        using var browser = factory.NewBrowser();

        await Expect.ApprovalPageAsync(await browser.OpenLinkAsync(mail.Link!));
        await Expect.StatusAsync(await browser.PostAsync(ApprovalApi.Prefix + "/approve", new { linkToken = mail.LinkToken, number = sent.ApprovalNumber }),
            HttpStatusCode.OK);

        await Expect.ProblemAsync(await Post(app, ApprovalApi.CompletePath, new { authRequestId = sent.AuthRequestId, codeVerifier = new string('w', 43) }),
            HttpStatusCode.BadRequest, "code_verifier_invalid");
        await Expect.StatusAsync(await Post(app, ApprovalApi.CompletePath, new { authRequestId = sent.AuthRequestId, codeVerifier = verifier }), HttpStatusCode.OK);
    }

    private async Task<(Browser Asking, SendResponse Sent, LoginMail Mail)> AskAsync()
    {
        var asking = factory.NewBrowser();
        asking.Http.DefaultRequestHeaders.UserAgent.ParseAdd(Laptop);
        var email = Addresses.Unique();
        var sent = await asking.SendAsync(email);
        Assert.Matches("^[0-9]{2}$", sent.ApprovalNumber);
        return (asking, sent, await LoginMail.ReceiveAsync(factory, email));
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, string path, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-CSRF", "1");
        return client.SendAsync(request);
    }
}

public sealed class ApprovalTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : ApprovalTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class ApprovalTestsOnRedis(Bff<RedisStore, Defaults> factory) : ApprovalTests<Bff<RedisStore, Defaults>>(factory);

public sealed class ApprovalTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory) : ApprovalTests<Bff<RedisClusterStore, Defaults>>(factory);

public sealed class ApprovalWithoutSameBrowserEnforcementTests(Bff<SqliteStore, NoSameBrowser> factory) : IClassFixture<Bff<SqliteStore, NoSameBrowser>>
{
    [Fact]
    public async Task AnAppsLinkOpenedInABrowserGetsTheApprovalPageNotTheConfirmationAndTheAppCompletes()
    {
        using var app = new HttpClient(factory.Server.CreateHandler()) { BaseAddress = Browser.BaseAddress };
        var verifier = new string('v', 43);
        var email = Addresses.Unique("app");
        using var send = new HttpRequestMessage(HttpMethod.Post, AuthApi.SendPath)
        {
            Content = JsonContent.Create(new { email, codeChallenge = Pkce.ChallengeOf(verifier), codeChallengeMethod = "S256" }),
        };
        send.Headers.Add("X-CSRF", "1");
        var sent = (await (await app.SendAsync(send)).Content.ReadFromJsonAsync<SendResponse>())!;
        var mail = await LoginMail.ReceiveAsync(factory, email);
        using var browser = factory.NewBrowser();

        await Expect.ApprovalPageAsync(await browser.OpenLinkAsync(mail.Link!));
        await Expect.StatusAsync(await browser.PostAsync(ApprovalApi.Prefix + "/approve", new { linkToken = mail.LinkToken, number = sent.ApprovalNumber }),
            HttpStatusCode.OK);

        using var complete = new HttpRequestMessage(HttpMethod.Post, ApprovalApi.CompletePath)
        {
            Content = JsonContent.Create(new { authRequestId = sent.AuthRequestId, codeVerifier = verifier }),
        };
        complete.Headers.Add("X-CSRF", "1");
        await Expect.StatusAsync(await app.SendAsync(complete), HttpStatusCode.OK);
        Assert.Equal(0, (await factory.LoginAsync(sent.AuthRequestId))!.FailedAttempts);
    }
}

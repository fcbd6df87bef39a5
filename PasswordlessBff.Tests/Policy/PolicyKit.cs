using System.Diagnostics;
using System.Text.Json;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Policy;

// The service with the shared hook server as its sign-in policy hook (a 1 s timeout) and a team's routes: one that
// needs the admin role, one that shows the principal.
public sealed class WithHook : ISettingsProfile
{
    public const int TimeoutMilliseconds = 1000;
    public const string AdminOnlyPath = "/api/team/admin-only";
    public const string PrincipalPath = "/api/team/principal";

    public static IReadOnlyDictionary<string, string?> Settings => PolicyHookServer.Shared.Settings(TimeoutMilliseconds);

    public static void Configure(IWebHostBuilder builder) => TeamEndpoints.Map(builder, endpoints =>
    {
        endpoints.MapGet(AdminOnlyPath, (ActiveSession session) => TypedResults.Ok(new { session.User.Id })).RequireSession(roles: "admin");
        endpoints.MapGet(PrincipalPath, (ClaimsPrincipal user) =>
            TypedResults.Ok(user.Claims.Select(c => new[] { c.Type, c.Value }).ToArray())).RequireSession();
    });
}

public static class PolicyKit
{
    // Sends, reads the code from the email, and verifies it; returns the verify answer (whatever it is).
    public static async Task<(HttpResponseMessage Verified, LoginMail Mail)> SignInAsync(BffFactory factory, Browser browser, string email)
    {
        if (browser.Http.DefaultRequestHeaders.UserAgent.Count == 0)
        {
            browser.Http.DefaultRequestHeaders.UserAgent.ParseAdd("PolicyTests/1.0");
        }
        await Expect.StatusAsync(await browser.PostAsync(AuthApi.SendPath, new { email, state = "from-test" }), HttpStatusCode.OK);
        var mail = await factory.ReceiveMailAsync(email);
        return (await browser.VerifyCodeAsync(mail.Code!), mail);
    }

    // Until the audit trail shows the policy held this address's email (logged before the sender moves on).
    public static async Task WaitForSendRefusalAsync(BffFactory factory, string email)
    {
        var account = factory.Services.GetRequiredService<AuditPseudonyms>().Account(email);
        var elapsed = Stopwatch.StartNew();
        while (!factory.Logs.Lines.Any(line => line.Contains("[7009]", StringComparison.Ordinal) && line.Contains(account, StringComparison.Ordinal)))
        {
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(10), "no PolicyRefused audit event for the address");
            await Task.Delay(20);
        }
    }

    public static async Task<System.Text.Json.JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        await Expect.StatusAsync(response, status);
        return System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    public static TheoryData<string> MalformedAnswers() =>
    [
        "not json",
        """{"allowed":true}""",
        """{"decision":"maybe"}""",
        """{"decision":"allow","userId":""}""",
        $$"""{"decision":"allow","userId":"{{new string('u', 129)}}"}""",
        $$"""{"decision":"allow","userId":"u_1","roles":[{{string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"r{i}\""))}}]}""",
        "{\"decision\":\"allow\",\"userId\":\"u_1\",\"claims\":{" + string.Join(",", Enumerable.Range(0, 31).Select(i => $"\"c{i}\":\"v\"")) + "}}",
        """{"decision":"allow","userId":"u_1","claims":{"sub":"someone-else"}}""",
        """{"decision":"allow","userId":"u_1","claims":{"nested":{"a":1}}}""",
        """{"decision":"allow","userId":"u_1","roles":"admin"}""",
        "{\"decision\":\"allow\",\"userId\":\"u_1\",\"claims\":{\"big\":\"" + new string('x', 2100) + "\"}}",
    ];

    // Same status, same body fields, the same cookies set: nothing tells a denied address from an allowed one.
    public static async Task AnswersAlikeAsync(HttpResponseMessage allowed, HttpResponseMessage denied)
    {
        await Expect.StatusAsync(allowed, HttpStatusCode.OK);
        await Expect.StatusAsync(denied, HttpStatusCode.OK);
        static async Task<string[]> Shape(HttpResponseMessage r) =>
            [.. JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.EnumerateObject().Select(p => $"{p.Name}:{p.Value.ValueKind}")];
        Assert.Equal(await Shape(allowed), await Shape(denied));
        static string[] Cookies(HttpResponseMessage r) =>
            [.. SessionCookieNames(r)];
        Assert.Equal(Cookies(allowed), Cookies(denied));
    }

    private static IEnumerable<string> SessionCookieNames(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(v => v.Split('=')[0] + ";" + string.Join(";", v.Split(';').Skip(1).Select(a => a.Trim().Split('=')[0]).Where(a => a != "expires")))
            : [];
}

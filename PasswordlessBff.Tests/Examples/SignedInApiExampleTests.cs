using System.Net.Http.Json;
using System.Text.Json;

namespace PasswordlessBff.Tests.Examples;

// docs/TESTING.md: an xunit suite calls a protected route as a signed-in test user (service.BaseAddress is wherever the
// suite runs the service).
public sealed class SignedInApiExampleTests(TestModeService service) : IClassFixture<TestModeService>
{
    [Fact]
    public async Task ASignedInTestUserCallsAProtectedRoute()
    {
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/api/testing/session")
        {
            Content = JsonContent.Create(new { email = "xunit@test.invalid" }),
        };
        signIn.Headers.Add("X-CSRF", "1");
        using var session = await http.SendAsync(signIn);
        session.EnsureSuccessStatusCode();
        // HttpClient sends a Secure cookie only over https: against plain http://localhost, pass it on by hand.
        var cookie = session.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("__Host-pwl-session=", StringComparison.Ordinal));
        http.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);

        var me = await http.GetFromJsonAsync<JsonElement>("/api/me");

        Assert.Equal("xunit@test.invalid", me.GetProperty("email").GetString());
    }
}

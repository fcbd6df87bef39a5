using System.Net;
using System.Text.Json;

namespace PasswordlessBff.Tests.Infrastructure;

public static class Expect
{
    public static async Task StatusAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            Assert.Fail($"Expected {(int)status} but got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    // Asserts a ProblemDetails answer with the given status and stable code; returns the parsed body.
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {code} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, json.GetProperty("code").GetString());
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(json.GetProperty("detail").GetString()));
        return json;
    }

    // The page a link opens in a browser that did not ask: it may approve with the asking browser's number.
    public static async Task ApprovalPageAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/approve.js", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    // A link in a browser that did not ask: the approval page where the service can look the link up (built-in), else
    // (Scalekit) the pointer to the code. Neither signs that browser in.
    public static async Task AnotherBrowsersAnswerAsync(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.OK)
        {
            await ApprovalPageAsync(response);
            return;
        }
        RedirectTo(response, "/?error=browser_mismatch");
    }

    public static void RedirectTo(HttpResponseMessage response, string location)
    {
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }
}

public static class Addresses
{
    // A fresh address per test keeps the per-address email limit out of unrelated tests.
    public static string Unique(string name = "user") => $"{name}-{Guid.NewGuid():N}@example.com";
}

public static class Codes
{
    // A well-formed code that is not this one.
    public static string Other(string code) =>
        ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
}

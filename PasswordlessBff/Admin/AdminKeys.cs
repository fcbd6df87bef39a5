using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PasswordlessBff.Auth;
using PasswordlessBff.Errors;

namespace PasswordlessBff.Admin;

// Server-to-server only: a configured bearer key, and none of our cookies (a browser never gets to spend its session
// or a leaked key's power by being lured here).
public sealed class AdminKeys(IOptions<AdminOptions> admin, IOptions<Sessions.SessionOptions> sessions)
{
    private readonly byte[][] _keyHashes = [.. admin.Value.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(Hash)];
    private readonly string _sessionCookie = sessions.Value.CookieName;

    // Why this request is refused, or null; keyRef names the key that matched, for the audit trail.
    public ApiError? Refusal(HttpRequest request, out string? keyRef)
    {
        keyRef = null;
        if (request.Cookies.ContainsKey(_sessionCookie) || request.Cookies.ContainsKey(BrowserBinding.CookieName))
        {
            return ApiError.CookiesNotAllowed;
        }
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return ApiError.AdminKeyInvalid;
        }
        var presented = Hash(header["Bearer ".Length..].Trim());
        // Every key is compared, in fixed time, so the answer's timing says nothing about which one came close.
        var matched = -1;
        for (var i = 0; i < _keyHashes.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(_keyHashes[i], presented))
            {
                matched = i;
            }
        }
        if (matched < 0)
        {
            return ApiError.AdminKeyInvalid;
        }
        keyRef = $"Admin__ApiKeys__{matched}";
        return null;
    }

    public static RouteGroupBuilder RequireAdminKey(RouteGroupBuilder group) => group.AddEndpointFilter(async (context, next) =>
    {
        var http = context.HttpContext;
        var refused = http.RequestServices.GetRequiredService<AdminKeys>().Refusal(http.Request, out var keyRef);
        if (refused is not null)
        {
            if (refused == ApiError.AdminKeyInvalid)
            {
                http.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
            }
            return Problems.From(refused);
        }
        http.Items[typeof(AdminKeys)] = keyRef;
        return await next(context);
    });

    public static string KeyRefOf(HttpContext context) => context.Items[typeof(AdminKeys)] as string ?? AuditPseudonyms.Unknown;

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

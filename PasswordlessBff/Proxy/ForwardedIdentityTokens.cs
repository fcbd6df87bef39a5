using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Sessions;

namespace PasswordlessBff.Proxy;

// The identity a backend sees: an ES256 token per session and audience, minted once and reused until a fifth of its
// lifetime is left (no signature per request). Called only after this request's session check passed, so a revoked
// session gets no token, not even a cached one.
public sealed class ForwardedIdentityTokens(ProxySigningKeys keys, IOptions<ProxyOptions> options, IOptions<PasswordlessOptions> passwordless, TimeProvider time)
{
    public const string TokenType = "at+jwt";
    public const string RolesClaim = "roles";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly ConcurrentDictionary<(string SessionId, string Audience), IssuedToken> _issued = new();
    private readonly ProxyOptions _options = options.Value;

    public string Issuer { get; } = passwordless.Value.PublicBaseUrl.TrimEnd('/');

    public async ValueTask<string> ForAsync(ActiveSession session, string audience, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_issued.TryGetValue((session.Id, audience), out var issued) && now < issued.ReuseUntil)
        {
            return issued.Token;
        }
        var ring = await keys.RingAsync(ct);
        var lifetime = _options.TokenLifetime;
        // Never outlives the session's absolute end.
        var expires = now + lifetime < session.AbsoluteExpiresAt ? now + lifetime : session.AbsoluteExpiresAt;
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = TokenType,
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = ring.Signing.Credentials,
            Claims = new Dictionary<string, object>
            {
                [SessionAuthenticationHandler.SubjectClaim] = session.User.Id,
                [SessionAuthenticationHandler.EmailClaim] = session.Email,
                [SessionAuthenticationHandler.SessionIdClaim] = session.Id,
                [RolesClaim] = session.User.Roles.ToArray(),
            },
        });
        Keep((session.Id, audience), new IssuedToken(token, expires - lifetime / 5));
        return token;
    }

    // Bounded: when full, expired entries go; if that is not enough, the cache starts over (tokens are cheap to mint).
    private void Keep((string, string) key, IssuedToken token)
    {
        if (_issued.Count >= _options.TokenCacheSize)
        {
            var now = time.GetUtcNow();
            foreach (var (k, v) in _issued)
            {
                if (v.ReuseUntil <= now)
                {
                    _issued.TryRemove(k, out _);
                }
            }
            if (_issued.Count >= _options.TokenCacheSize)
            {
                _issued.Clear();
            }
        }
        _issued[key] = token;
    }

    private sealed record IssuedToken(string Token, DateTimeOffset ReuseUntil);
}

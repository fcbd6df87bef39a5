using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PasswordlessBff.Passwordless;

namespace PasswordlessBff.Sessions;

// The session cookie's JWT: HS256 only, kid in the header, and nothing in it but an opaque session id.
public sealed class SessionTokens
{
    public const string SessionIdClaim = "sid";
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RememberValidFor = TimeSpan.FromSeconds(60);
    // As many as the session cache holds (100,000 signed-in sessions checked by bench/load.sh); about 0.7 KB each.
    public const int MaxRememberedTokens = 250_000;

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false, MapInboundClaims = false };
    private readonly SigningKeyRing _keys;
    private readonly TimeProvider _time;
    private readonly string _issuer;
    private readonly string _audience;
    private readonly TokenValidationParameters _validation;

    // Tokens that passed full validation, by their exact text: the keys never change while the process runs, so the
    // same string would pass signature, algorithm, kid, issuer and audience checks again; its lifetime is re-checked
    // on every use. A cookie checked on every API call then costs a dictionary lookup instead of an HMAC and a parse.
    private readonly ConcurrentDictionary<string, ValidToken> _validated = new(StringComparer.Ordinal);
    private int _rememberedSinceCount;

    // RememberedUntil moves in place after a re-validation: replacing the entry left the old one and its 0.7 KB key as
    // old-generation garbage, about 100 MB a minute at 100,000 sessions (bench/soak.sh's heap grew until a full GC).
    private sealed class ValidToken(string sessionId, DateTime notBefore, DateTime expires, DateTime rememberedUntil)
    {
        private long _rememberedUntilTicks = rememberedUntil.Ticks;

        public string SessionId { get; } = sessionId;
        public DateTime NotBefore { get; } = notBefore;
        public DateTime Expires { get; } = expires;

        public DateTime RememberedUntil
        {
            get => new(Interlocked.Read(ref _rememberedUntilTicks), DateTimeKind.Utc);
            set => Interlocked.Exchange(ref _rememberedUntilTicks, value.Ticks);
        }
    }

    public SessionTokens(SigningKeyRing keys, IOptions<SessionOptions> session, IOptions<PasswordlessOptions> passwordless, TimeProvider time)
    {
        _keys = keys;
        _time = time;
        _issuer = passwordless.Value.PublicOrigin;
        _audience = session.Value.Audience;
        _validation = new TokenValidationParameters
        {
            ValidIssuer = _issuer,
            ValidAudience = _audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            IssuerSigningKeys = keys.ValidationKeys,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = ClockSkew,
            // Lifetime against our TimeProvider, so tests can move the clock.
            LifetimeValidator = ValidateLifetime,
        };
    }

    public string Issue(string sessionId, DateTimeOffset expiresAt)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _issuer,
            Audience = _audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = expiresAt.UtcDateTime,
            Subject = new ClaimsIdentity([new Claim(SessionIdClaim, sessionId)]),
            SigningCredentials = new SigningCredentials(_keys.SigningKey, SecurityAlgorithms.HmacSha256),
        });
    }

    // Returns the session id of a valid token, or null for anything forged, foreign, expired or malformed.
    public async Task<string?> ValidateAsync(string token)
    {
        if (token.Length > 4096)
        {
            return null;
        }
        var now = _time.GetUtcNow().UtcDateTime;
        if (_validated.TryGetValue(token, out var known) && now < known.RememberedUntil)
        {
            return WithinLifetime(known.NotBefore, known.Expires, now) ? known.SessionId : null;
        }
        var result = await _handler.ValidateTokenAsync(token, _validation);
        if (!result.IsValid || !result.Claims.TryGetValue(SessionIdClaim, out var sid) || sid is not string id
            || result.SecurityToken is not JsonWebToken jwt)
        {
            return null;
        }
        // Counted every 1,024th token: Count takes every lock of the dictionary, and on every miss it was the profile's top cost.
        if (Interlocked.Increment(ref _rememberedSinceCount) % 1024 == 0 && _validated.Count >= MaxRememberedTokens)
        {
            _validated.Clear();
        }
        if (known is not null && known.SessionId == id && known.NotBefore == jwt.ValidFrom && known.Expires == jwt.ValidTo)
        {
            known.RememberedUntil = now + RememberValidFor;
            return id;
        }
        _validated[token] = new ValidToken(id, jwt.ValidFrom, jwt.ValidTo, now + RememberValidFor);
        return id;
    }

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return expires is { } exp && now < exp + ClockSkew && (notBefore is not { } nbf || now >= nbf - ClockSkew);
    }

    // The same rule for a remembered token; JsonWebToken reports an absent nbf as DateTime.MinValue.
    private static bool WithinLifetime(DateTime notBefore, DateTime expires, DateTime now) =>
        now < expires + ClockSkew && (notBefore == DateTime.MinValue || now >= notBefore - ClockSkew);
}

using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Sessions;

// Whose sessions: exactly one of a user id and a canonical address.
public sealed record SessionOwner(string? UserId, string? Email);

// Creates, checks and revokes sessions: a signed cookie that points at a server-side record.
public sealed class SessionService(
    ISessionStore store,
    SessionTokens tokens,
    IOptions<SessionOptions> options,
    DerivedUserIds userIds,
    TimeProvider time)
{
    private readonly SessionOptions _options = options.Value;

    // Writes the new session's record before the login is consumed, so a store failure leaves the login usable
    // (SECURITY.md item 29); the session the browser's old cookie pointed to ends here (item 28). user is what the sign-in
    // policy said of this person, null for the id derived from the address.
    public async Task<SessionRecord> PrepareAsync(HttpContext context, VerifiedLogin login, SessionUser? user, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var previous = await ReadSessionIdAsync(context);
        // A fresh id at every login (SECURITY.md item 18).
        var record = new SessionRecord(
            Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)), login.Email, login.ReturnTo,
            DeviceHint(context), now, now + _options.AbsoluteLifetime, now, RevokedAt: null,
            user ?? new SessionUser(userIds.For(login.Email), [], new Dictionary<string, string>()));
        await store.CreateSessionAsync(record, ct);
        if (previous is not null)
        {
            await store.RevokeSessionAsync(previous, now, ct);
        }
        return record;
    }

    // The record of a verification that lost the race for its login: it never reaches a cookie.
    public Task DiscardAsync(SessionRecord record, CancellationToken ct) => store.RevokeSessionAsync(record.Id, time.GetUtcNow(), ct);

    // After the login is consumed: only the cookie is left, which cannot fail.
    public ActiveSession Issue(HttpContext context, SessionRecord record)
    {
        context.Response.Cookies.Append(_options.CookieName, tokens.Issue(record.Id, record.AbsoluteExpiresAt),
            SessionCookies.Options(record.AbsoluteExpiresAt));
        return ToActive(record, time.GetUtcNow());
    }

    public bool HasCookie(HttpContext context) =>
        context.Request.Cookies.TryGetValue(_options.CookieName, out var token) && !string.IsNullOrEmpty(token);

    // A protected request is real use once it has been answered with success: one refused by CSRF, validation or
    // authorization never slides the idle timeout (SECURITY.md items 20 and 27). The handler sees the session as used.
    public ActiveSession CountAsUse(HttpContext context, ActiveSession session)
    {
        var now = time.GetUtcNow();
        context.Response.OnStarting(async () =>
        {
            if (context.Response.StatusCode < StatusCodes.Status400BadRequest)
            {
                await store.TouchSessionAsync(session.Id, now, CancellationToken.None);
            }
        });
        var idle = now + _options.IdleTimeout;
        return session with { IdleExpiresAt = idle < session.AbsoluteExpiresAt ? idle : session.AbsoluteExpiresAt };
    }

    // Null when there is no valid, unrevoked, unexpired session; slides the idle timeout only when asked.
    public async Task<ActiveSession?> AuthenticateAsync(HttpContext context, bool slide, CancellationToken ct)
    {
        var sessionId = await ReadSessionIdAsync(context);
        if (sessionId is null)
        {
            return null;
        }
        var record = await store.GetSessionAsync(sessionId, ct);
        var now = time.GetUtcNow();
        if (record is null || record.RevokedAt is not null || now >= record.AbsoluteExpiresAt
            || now >= record.LastSeenAt + _options.IdleTimeout)
        {
            return null;
        }
        if (slide)
        {
            await store.TouchSessionAsync(record.Id, now, ct);
            record = record with { LastSeenAt = now };
        }
        return ToActive(record, now);
    }

    public async Task SignOutAsync(HttpContext context, CancellationToken ct)
    {
        var sessionId = await ReadSessionIdAsync(context);
        context.Response.Cookies.Delete(_options.CookieName, SessionCookies.Options(expires: null));
        if (sessionId is not null)
        {
            await store.RevokeSessionAsync(sessionId, time.GetUtcNow(), ct);
        }
    }

    // The caller's own live sessions (idle ones excluded), most recently used first.
    public async Task<IReadOnlyList<SessionRecord>> ListAsync(ActiveSession current, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var sessions = await store.ListSessionsAsync(current.Email, now, ct);
        return [.. sessions.Where(s => now < s.LastSeenAt + _options.IdleTimeout).OrderByDescending(s => s.LastSeenAt)];
    }

    // Revokes one of the caller's own sessions; false when the id is unknown or belongs to someone else.
    public async Task<bool> RevokeAsync(ActiveSession current, string sessionId, CancellationToken ct)
    {
        var record = await store.GetSessionAsync(sessionId, ct);
        if (record is null || record.RevokedAt is not null || !string.Equals(record.Email, current.Email, StringComparison.Ordinal))
        {
            return false;
        }
        await store.RevokeSessionAsync(sessionId, time.GetUtcNow(), ct);
        return true;
    }

    // Every live session of one user id or one canonical address (the admin API), most recently used first.
    public async Task<IReadOnlyList<SessionRecord>> ListOfAsync(SessionOwner owner, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var sessions = owner.UserId is { } userId
            ? await store.ListUserSessionsAsync(userId, now, ct)
            : await store.ListSessionsAsync(owner.Email!, now, ct);
        return [.. sessions.Where(s => now < s.LastSeenAt + _options.IdleTimeout).OrderByDescending(s => s.LastSeenAt)];
    }

    // Ends every session of one user id or one canonical address, on every instance.
    public Task<int> RevokeAllOfAsync(SessionOwner owner, CancellationToken ct) => owner.UserId is { } userId
        ? store.RevokeUserSessionsAsync(userId, time.GetUtcNow(), ct)
        : store.RevokeOtherSessionsAsync(owner.Email!, keepSessionId: "", time.GetUtcNow(), ct);

    public ActiveSession ToActive(SessionRecord record) => ToActive(record, time.GetUtcNow());

    public Task<int> RevokeOthersAsync(ActiveSession current, CancellationToken ct) =>
        store.RevokeOtherSessionsAsync(current.Email, current.Id, time.GetUtcNow(), ct);

    private async Task<string?> ReadSessionIdAsync(HttpContext context) =>
        context.Request.Cookies.TryGetValue(_options.CookieName, out var token) && !string.IsNullOrEmpty(token)
            ? await tokens.ValidateAsync(token)
            : null;

    private ActiveSession ToActive(SessionRecord record, DateTimeOffset now)
    {
        var idle = record.LastSeenAt + _options.IdleTimeout;
        return new ActiveSession(record.Id, record.Email, record.ReturnTo, record.CreatedAt, record.AbsoluteExpiresAt,
            idle < record.AbsoluteExpiresAt ? idle : record.AbsoluteExpiresAt, userIds.UserOf(record));
    }

    private static string? DeviceHint(HttpContext context)
    {
        var agent = context.Request.Headers.UserAgent.ToString();
        return agent.Length == 0 ? null : agent[..Math.Min(agent.Length, 200)];
    }
}

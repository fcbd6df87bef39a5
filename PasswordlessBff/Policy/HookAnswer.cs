namespace PasswordlessBff.Policy;

// What the team's hook said: allow (at verify, perhaps with the user), deny, or nothing usable (timeout, 5xx,
// unreachable, malformed), which fails closed.
public abstract record HookAnswer
{
    private HookAnswer() { }

    // UserId is null when the hook named none: the session then gets the id derived from the address.
    public sealed record Allowed(string? UserId, IReadOnlyList<string> Roles, IReadOnlyDictionary<string, string> Claims) : HookAnswer
    {
        public static readonly Allowed Plain = new(null, [], new Dictionary<string, string>());
    }

    public sealed record Denied : HookAnswer;

    // Reason is for our log only (never an address or the hook's text): timeout, unreachable, status 503, malformed: …
    public sealed record Failed(string Reason) : HookAnswer;
}

// The event body: Standard Webhooks' recommended shape, type + timestamp + data.
public sealed record HookEvent(string Type, DateTimeOffset Timestamp, HookEventData Data);

public sealed record HookEventData(
    string Email, string Template, string? State, string Locale, string? ClientAddress, string? UserAgent);

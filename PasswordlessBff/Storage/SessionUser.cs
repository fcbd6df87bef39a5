namespace PasswordlessBff.Storage;

// Who a session belongs to in the team's terms: the sign-in policy hook's user id, roles and claims, or the opaque id
// derived from the address when no hook names one. Compared by value, so a record read back equals the one written.
public sealed record SessionUser(string Id, IReadOnlyList<string> Roles, IReadOnlyDictionary<string, string> Claims)
{
    public bool Equals(SessionUser? other) =>
        other is not null && Id == other.Id && Roles.SequenceEqual(other.Roles)
        && Claims.Count == other.Claims.Count
        && Claims.All(c => other.Claims.TryGetValue(c.Key, out var value) && value == c.Value);

    public override int GetHashCode() => HashCode.Combine(Id, Roles.Count, Claims.Count);
}

// How both stores keep a session's user: the id as text, roles and claims as small JSON documents.
public static class SessionUserText
{
    public static string Roles(SessionUser user) => System.Text.Json.JsonSerializer.Serialize(user.Roles);

    public static string Claims(SessionUser user) => System.Text.Json.JsonSerializer.Serialize(user.Claims);

    // Records written before sessions carried a user have none: the session service derives its id.
    public static SessionUser? Parse(string? id, string? roles, string? claims) => id is null ? null : new SessionUser(
        id,
        System.Text.Json.JsonSerializer.Deserialize<string[]>(roles ?? "[]") ?? [],
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(claims ?? "{}") ?? []);
}

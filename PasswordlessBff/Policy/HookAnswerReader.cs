using System.Text.Json;
using PasswordlessBff.Sessions;

namespace PasswordlessBff.Policy;

// Reads a hook's answer within the limits a session can carry; anything outside them is a malformed answer.
public static class HookAnswerReader
{
    public const int MaxBytes = 2048;
    public const int MaxUserIdLength = 128;
    public const int MaxRoles = 20;
    public const int MaxClaims = 30;

    public static HookAnswer Read(ReadOnlySpan<byte> body)
    {
        if (body.Length > MaxBytes)
        {
            return Malformed($"over {MaxBytes} bytes");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException)
        {
            return Malformed("not JSON");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("decision", out var decision) || decision.ValueKind != JsonValueKind.String)
            {
                return Malformed("no decision");
            }
            return decision.GetString() switch
            {
                "deny" => new HookAnswer.Denied(),
                "allow" => ReadAllowed(root),
                _ => Malformed("decision is neither allow nor deny"),
            };
        }
    }

    private static HookAnswer ReadAllowed(JsonElement root)
    {
        string? userId = null;
        if (root.TryGetProperty("userId", out var id) && id.ValueKind != JsonValueKind.Null)
        {
            userId = id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            if (!IsText(userId, MaxUserIdLength))
            {
                return Malformed($"userId is not a string of 1 to {MaxUserIdLength} characters");
            }
        }
        var roles = new List<string>();
        if (root.TryGetProperty("roles", out var roleArray) && roleArray.ValueKind != JsonValueKind.Null)
        {
            if (roleArray.ValueKind != JsonValueKind.Array || roleArray.GetArrayLength() > MaxRoles)
            {
                return Malformed($"roles is not an array of at most {MaxRoles}");
            }
            foreach (var role in roleArray.EnumerateArray())
            {
                if (role.ValueKind != JsonValueKind.String || !IsText(role.GetString(), MaxUserIdLength))
                {
                    return Malformed("a role is not a non-empty string");
                }
                roles.Add(role.GetString()!);
            }
        }
        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("claims", out var claimObject) && claimObject.ValueKind != JsonValueKind.Null)
        {
            if (claimObject.ValueKind != JsonValueKind.Object)
            {
                return Malformed("claims is not an object");
            }
            foreach (var claim in claimObject.EnumerateObject())
            {
                var value = claim.Value.ValueKind switch
                {
                    JsonValueKind.String => claim.Value.GetString(),
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => claim.Value.GetRawText(),
                    _ => null,
                };
                if (!IsText(claim.Name, MaxUserIdLength) || value is null || value.Any(char.IsControl)
                    || SessionAuthenticationHandler.ReservedClaims.Contains(claim.Name) || !claims.TryAdd(claim.Name, value))
                {
                    return Malformed("a claim is not a string, number or boolean under a free, non-empty name");
                }
            }
            if (claims.Count > MaxClaims)
            {
                return Malformed($"more than {MaxClaims} claims");
            }
        }
        return new HookAnswer.Allowed(userId, roles, claims);
    }

    private static bool IsText(string? value, int maxLength) =>
        value is { Length: > 0 } && value.Length <= maxLength && !value.Any(char.IsControl);

    private static HookAnswer.Failed Malformed(string why) => new($"malformed answer: {why}");
}

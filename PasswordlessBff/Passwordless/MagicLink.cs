namespace PasswordlessBff.Passwordless;

public static class MagicLink
{
    public const string VerifyPath = "api/auth/verify";

    // Built only from the configured LinkBaseUrl or PublicBaseUrl, never from Host or X-Forwarded-Host (SECURITY.md item 9).
    public static Uri Build(PasswordlessOptions options, string linkToken) =>
        new(VerifyUri(options), $"?link_token={Uri.EscapeDataString(linkToken)}");

    public static Uri VerifyUri(PasswordlessOptions options) => new(options.LinkBaseUri, VerifyPath);
}

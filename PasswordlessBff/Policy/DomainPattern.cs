using PasswordlessBff.Auth;

namespace PasswordlessBff.Policy;

// "example.com" matches that domain only; "*.example.com" matches its subdomains at any depth, not the domain itself.
public sealed record DomainPattern(string Domain, bool Subdomains)
{
    // Through the same canonical form as addresses (lower case, IDNA to ASCII), so a pattern and an address compare.
    public static DomainPattern? TryParse(string? pattern)
    {
        var value = pattern?.Trim() ?? "";
        var subdomains = value.StartsWith("*.", StringComparison.Ordinal);
        var domain = subdomains ? value[2..] : value;
        if (domain.Length == 0 || domain.Contains('*', StringComparison.Ordinal) || domain.Contains('@', StringComparison.Ordinal)
            || !EmailAddress.TryCanonicalize($"x@{domain}", out var canonical))
        {
            return null;
        }
        return new DomainPattern(canonical[2..], subdomains);
    }

    public bool Matches(string canonicalDomain) => Subdomains
        ? canonicalDomain.EndsWith("." + Domain, StringComparison.Ordinal)
        : string.Equals(canonicalDomain, Domain, StringComparison.Ordinal);
}

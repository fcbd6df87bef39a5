using Microsoft.Extensions.Options;
using PasswordlessBff.Auth;

namespace PasswordlessBff.Policy;

// Policy__AllowedDomains, __AllowedAddresses and __BlockedDomains on the canonical address: a blocked domain always
// refuses; with any allow list set, only what it lists may sign in; with none, everyone not blocked may.
public sealed class StaticPolicy
{
    private readonly DomainPattern[] _allowedDomains;
    private readonly DomainPattern[] _blockedDomains;
    private readonly HashSet<string> _allowedAddresses;

    public StaticPolicy(IOptions<PolicyOptions> options)
    {
        var settings = options.Value;
        _allowedDomains = Parse(settings.AllowedDomains);
        _blockedDomains = Parse(settings.BlockedDomains);
        _allowedAddresses = new HashSet<string>(
            settings.AllowedAddresses.Select(a => EmailAddress.TryCanonicalize(a, out var canonical) ? canonical : "").Where(a => a.Length > 0),
            StringComparer.Ordinal);
    }

    public bool Allows(string canonicalEmail)
    {
        var domain = canonicalEmail[(canonicalEmail.LastIndexOf('@') + 1)..];
        if (_blockedDomains.Any(p => p.Matches(domain)))
        {
            return false;
        }
        if (_allowedDomains.Length == 0 && _allowedAddresses.Count == 0)
        {
            return true;
        }
        return _allowedAddresses.Contains(canonicalEmail) || _allowedDomains.Any(p => p.Matches(domain));
    }

    private static DomainPattern[] Parse(string[] patterns) => [.. patterns.Select(DomainPattern.TryParse).OfType<DomainPattern>()];
}

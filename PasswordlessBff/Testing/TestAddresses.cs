using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PasswordlessBff.Auth;

namespace PasswordlessBff.Testing;

// Which addresses are test addresses, and what they sign in with. Everything else about them is the real flow:
// the same endpoints, binding cookie, limits, gate and session; only the email is never sent.
public sealed partial class TestAddresses
{
    private readonly TestingOptions _options;
    private readonly IReadOnlyList<Regex> _patterns;
    private readonly AuditPseudonyms _ids;
    private readonly ILogger _audit;

    public TestAddresses(IOptions<TestingOptions> options, IHostEnvironment environment, AuditPseudonyms ids, ILoggerFactory loggers)
    {
        _options = options.Value;
        _ids = ids;
        _audit = loggers.CreateLogger(AuditLog.Category);
        Active = _options.Enabled;
        InProduction = Active && !_options.IsTestEnvironment(environment);
        _patterns = [.. _options.EffectivePatterns.Select(Pattern)];
    }

    public bool Active { get; }

    // Outside the test environments (validated at start-up: exact addresses, an operator's code of 8+ digits): each
    // use is a Warning in the audit log, the known link is off unless the operator set one, and there is no one-call
    // session.
    public bool InProduction { get; }

    public string Code => _options.Code ?? TestingOptions.DefaultCode;

    public bool IsTestAddress(string canonicalEmail) => Active && _patterns.Any(p => p.IsMatch(canonicalEmail));

    // A code of the test code's length is well-formed too (production test codes are longer than six digits).
    public bool IsCodeShaped(string code) => Active && code.Length == Code.Length && code.All(char.IsAsciiDigit);

    public bool IsKnownLinkToken(string linkToken) =>
        Active && (!InProduction || _options.LinkToken is not null)
        && string.Equals(linkToken, _options.LinkToken ?? TestingOptions.DefaultLinkToken, StringComparison.Ordinal);

    public void Used(string step, string canonicalEmail)
    {
        if (InProduction)
        {
            LogProductionUse(_audit, step, _ids.Account(canonicalEmail));
        }
    }

    private static Regex Pattern(string pattern)
    {
        // Exact addresses compare in canonical form; * stands for any run of characters.
        var canonical = !pattern.Contains('*', StringComparison.Ordinal) && EmailAddress.TryCanonicalize(pattern, out var exact)
            ? exact
            : pattern.Trim().ToLowerInvariant();
        return new Regex("^" + Regex.Escape(canonical).Replace("\\*", ".*", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }

    [LoggerMessage(EventId = 7101, EventName = "TestAddressUsed", Level = LogLevel.Warning,
        Message = "Audit: test address {AccountId} used for {Step} in production test mode")]
    private static partial void LogProductionUse(ILogger logger, string step, string accountId);
}

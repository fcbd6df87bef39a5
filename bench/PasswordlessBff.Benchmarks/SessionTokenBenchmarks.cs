using BenchmarkDotNet.Attributes;
using PasswordlessBff.Sessions;

namespace PasswordlessBff.Benchmarks;

// The session cookie's JWT: issued once per sign-in, validated on every session check.
[MemoryDiagnoser]
public class SessionTokenBenchmarks
{
    private SessionTokens _tokens = null!;
    private string _token = null!;
    private string _forged = null!;
    private string[] _distinct = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _tokens = Fixtures.Tokens(Fixtures.Keys());
        _token = _tokens.Issue("0123456789abcdefghijkl", DateTimeOffset.UtcNow.AddHours(12));
        // Same header and claims, last signature character changed: must fail every time.
        _forged = _token[..^1] + (_token[^1] == 'A' ? 'B' : 'A');
        // Twice as many tokens as SessionTokens remembers, so every validation below is a first sight.
        _distinct = [.. Enumerable.Range(0, 2 * SessionTokens.MaxRememberedTokens).Select(i => _tokens.Issue($"session-{i:D14}", DateTimeOffset.UtcNow.AddHours(12)))];
    }

    [Benchmark]
    public string Issue() => _tokens.Issue("0123456789abcdefghijkl", DateTimeOffset.UtcNow.AddHours(12));

    // The same cookie again, as on every API call of a signed-in SPA.
    [Benchmark]
    public async Task<string?> Validate() => await _tokens.ValidateAsync(_token);

    // A cookie not seen in the last minute: the full JsonWebTokenHandler validation.
    [Benchmark]
    public async Task<string?> ValidateFirstSight() => await _tokens.ValidateAsync(_distinct[_next++ % _distinct.Length]);

    [Benchmark]
    public async Task<string?> ValidateForged() => await _tokens.ValidateAsync(_forged);
}

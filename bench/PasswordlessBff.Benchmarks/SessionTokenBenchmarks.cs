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

    [GlobalSetup]
    public void Setup()
    {
        _tokens = Fixtures.Tokens(Fixtures.Keys());
        _token = _tokens.Issue("0123456789abcdefghijkl", DateTimeOffset.UtcNow.AddHours(12));
        // Same header and claims, last signature character changed: must fail every time.
        _forged = _token[..^1] + (_token[^1] == 'A' ? 'B' : 'A');
    }

    [Benchmark]
    public string Issue() => _tokens.Issue("0123456789abcdefghijkl", DateTimeOffset.UtcNow.AddHours(12));

    [Benchmark]
    public async Task<string?> Validate() => await _tokens.ValidateAsync(_token);

    [Benchmark]
    public async Task<string?> ValidateForged() => await _tokens.ValidateAsync(_forged);
}

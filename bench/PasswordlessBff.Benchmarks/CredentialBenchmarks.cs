using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using PasswordlessBff.Auth;
using PasswordlessBff.Passwordless.BuiltIn;

namespace PasswordlessBff.Benchmarks;

// What send and verify compute per request besides the store: keyed hashes and the binding cookie.
[MemoryDiagnoser]
public class CredentialBenchmarks
{
    private CredentialHasher _hasher = null!;
    private BrowserBinding _binding = null!;
    private string _cookie = null!;
    private readonly string _loginId = "3q2-7wEjRWeJq83vASNFZ4";
    private readonly string _linkToken = "mE2r1Zq1o9kq0pHn7Xv3b0dC8sYw5Ue4Lx6Tg2Ja9Qc";

    [GlobalSetup]
    public void Setup()
    {
        _hasher = new CredentialHasher(Fixtures.Keys());
        _binding = new BrowserBinding(new EphemeralDataProtectionProvider(), TimeProvider.System);
        var context = new DefaultHttpContext();
        _binding.Set(context, _loginId, DateTimeOffset.UtcNow.AddMinutes(5));
        var setCookie = context.Response.Headers.SetCookie.ToString();
        _cookie = setCookie[(setCookie.IndexOf('=', StringComparison.Ordinal) + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];
    }

    [Benchmark]
    public byte[] HashCode() => _hasher.HashCode(_loginId, "123456");

    [Benchmark]
    public byte[] HashLink() => _hasher.HashLink(_linkToken);

    [Benchmark]
    public void BindingProtect() => _binding.Set(new DefaultHttpContext(), _loginId, DateTimeOffset.UtcNow.AddMinutes(5));

    [Benchmark]
    public string? BindingUnprotect()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = $"{BrowserBinding.CookieName}={_cookie}";
        return _binding.Read(context);
    }
}

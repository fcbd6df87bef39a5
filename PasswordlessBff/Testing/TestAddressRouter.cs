using PasswordlessBff.Passwordless;
using PasswordlessBff.Passwordless.BuiltIn;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Testing;

// With an upstream provider (Scalekit), test addresses sign in through the built-in provider instead, so a suite
// needs no upstream account and no inbox; every other address goes upstream as before.
public sealed class TestAddressRouter(IPasswordlessProvider upstream, BuiltInProvider builtIn, TestAddresses testing, ILoginStore store)
    : IPasswordlessProvider
{
    public Task<SendResult> SendAsync(SendCommand command, CancellationToken ct) =>
        (testing.IsTestAddress(command.Email) ? builtIn : upstream).SendAsync(command, ct);

    public async Task<SendResult> ResendAsync(string loginId, CancellationToken ct) =>
        await (await ForLoginAsync(loginId, ct)).ResendAsync(loginId, ct);

    public async Task<VerifyResult> VerifyCodeAsync(string loginId, string code, string? codeVerifier, CancellationToken ct) =>
        await (await ForLoginAsync(loginId, ct)).VerifyCodeAsync(loginId, code, codeVerifier, ct);

    public async Task<VerifyResult> VerifyLinkAsync(string linkToken, string? boundLoginId, string? codeVerifier, CancellationToken ct) =>
        await (testing.IsKnownLinkToken(linkToken) ? builtIn : upstream).VerifyLinkAsync(linkToken, boundLoginId, codeVerifier, ct);

    public Task<bool> CompleteAsync(VerifiedLogin login, CancellationToken ct) =>
        (testing.IsTestAddress(login.Email) ? builtIn : upstream).CompleteAsync(login, ct);

    private async Task<IPasswordlessProvider> ForLoginAsync(string loginId, CancellationToken ct) =>
        await store.GetLoginAsync(loginId, ct) is { } login && testing.IsTestAddress(login.Email) ? builtIn : upstream;
}

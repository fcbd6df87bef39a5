using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PasswordlessBff.Errors;
using PasswordlessBff.Http;
using PasswordlessBff.Passwordless;

namespace PasswordlessBff.Auth;

// The magic link itself, opened by a browser or fetched by a mail scanner.
public static class VerifyLinkEndpoint
{
    public static async Task<Results<SeeOtherResult, ContentHttpResult, NoContent>> HandleAsync(
        [FromQuery(Name = "link_token")] string? linkToken,
        HttpContext context,
        IPasswordlessProvider provider,
        BrowserBinding binding,
        SignIn signIn,
        CrossDeviceApproval approval,
        AuthEvents events,
        IOptions<PasswordlessOptions> options,
        IWebHostEnvironment environment,
        CancellationToken ct)
    {
        // The address bar holds a secret: never send it on as a Referer.
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            // Scanners probe with HEAD: answer without looking anything up or consuming anything.
            return TypedResults.NoContent();
        }
        var settings = options.Value;
        var bound = binding.Read(context);
        var plausible = LinkTokenFormat.IsPlausible(linkToken);
        if (bound is null && !settings.EnforceSameBrowser && plausible)
        {
            // An app's (PKCE) login cannot be confirmed here without its verifier: this browser approves it instead.
            return await approval.FindAsync(linkToken, ct) is ApprovalState.Found { Login.CodeChallenge: not null }
                ? Page(environment, "approve.html")
                : Page(environment, "confirm.html");
        }
        var started = events.Start();
        using var activity = AuthEvents.StartActivity("verify");
        var checkedOut = !plausible ? new VerifyResult.Failed(ApiError.CredentialInvalid)
            // No binding cookie: a scanner, or another browser. Nothing is consumed and no counter moves.
            : bound is null ? new VerifyResult.Failed(ApiError.BrowserMismatch)
            : await provider.VerifyLinkAsync(linkToken!, bound, codeVerifier: null, ct);
        if (!settings.EnforceSameBrowser && checkedOut is VerifyResult.Failed mismatch
            && mismatch.Failure.Error == ApiError.BrowserMismatch)
        {
            // This browser holds another login's cookie: signing it in silently would be login CSRF. Ask first.
            return Page(environment, "confirm.html");
        }
        if (settings.EnforceSameBrowser && checkedOut is VerifyResult.Failed { Failure.Error: var error } && error == ApiError.BrowserMismatch
            && await approval.FindAsync(linkToken, ct) is ApprovalState.Found)
        {
            // Another browser: it may approve the sign-in for the one that asked, with that one's number, by a
            // deliberate POST of this page. The GET itself changes nothing.
            return Page(environment, "approve.html");
        }
        var (result, _) = await signIn.CompleteAsync(context, checkedOut, ApiError.CredentialInvalid, ct);
        await events.VerifiedAsync(context, "link", bound, result, started, ct);
        return result switch
        {
            VerifyResult.Verified verified => new SeeOtherResult(verified.Login.ReturnTo),
            VerifyResult.Failed failed => new SeeOtherResult($"{settings.LoginPath}?error={failed.Failure.Error.Code}"),
            _ => throw new UnreachableException(),
        };
    }

    // Inert pages: with enforcement off the confirmation, whose deliberate POST consumes the link; in another browser
    // the approval, whose POST approves or refuses. One static file for every link (its script reads the token from the address bar), read from the web root so it
    // is served even when Ui__Enabled=false turns static files off.
    private static ContentHttpResult Page(IWebHostEnvironment environment, string file)
    {
        using var page = new StreamReader(environment.WebRootFileProvider.GetFileInfo(file).CreateReadStream());
        return TypedResults.Content(page.ReadToEnd(), "text/html; charset=utf-8");
    }
}

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
            return ConfirmPage(environment);
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
            return ConfirmPage(environment);
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

    // With same-browser enforcement off, a GET shows this inert page; only its deliberate POST consumes the link.
    // One static file for every link (its script reads the token from the address bar), read from the web root so it
    // is served even when Ui__Enabled=false turns static files off.
    private static ContentHttpResult ConfirmPage(IWebHostEnvironment environment)
    {
        using var page = new StreamReader(environment.WebRootFileProvider.GetFileInfo("confirm.html").CreateReadStream());
        return TypedResults.Content(page.ReadToEnd(), "text/html; charset=utf-8");
    }
}

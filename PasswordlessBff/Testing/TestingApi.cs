using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using PasswordlessBff.Auth;
using PasswordlessBff.Errors;
using PasswordlessBff.Http;
using PasswordlessBff.Limits;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Policy;
using PasswordlessBff.Sessions;

namespace PasswordlessBff.Testing;

public sealed record TestSessionRequest(string? Email, string[]? Roles = null);

public sealed class TestSessionRequestValidator : AbstractValidator<TestSessionRequest>
{
    public TestSessionRequestValidator()
    {
        RuleFor(r => r.Email).Must(email => EmailAddress.TryCanonicalize(email, out _)).WithMessage("Enter a test address such as ada@test.invalid.");
        // The same limits a policy hook's roles meet.
        RuleFor(r => r.Roles).Must(roles => roles is null || (roles.Length <= 20 && roles.All(r => r is { Length: > 0 and <= 64 } && !r.Any(char.IsControl))))
            .WithMessage("roles holds at most 20 roles of 1-64 characters.");
    }
}

// A session in one call for suites that skip the UI: it answers like a successful verify and sets the session cookie.
// Test environments only; in production test mode it does not exist.
public static class TestingApi
{
    public const string SessionPath = "/api/testing/session";

    public static IEndpointRouteBuilder MapTesting(this IEndpointRouteBuilder routes)
    {
        var testing = routes.ServiceProvider.GetRequiredService<TestAddresses>();
        if (!testing.Active || testing.InProduction)
        {
            return routes;
        }
        routes.MapPost(SessionPath, CreateSessionAsync).ValidateBody<TestSessionRequest>().RequireCsrfHeader().RequireVerifyRateLimit()
            .WithTags("Testing")
            .WithSummary("Sign a test address in with one call (integration tests)")
            .WithDescription("Only for test addresses (Testing__AddressPatterns__N) in a test environment; answers like POST "
                + "/api/auth/verify and sets the session cookie. Absent unless Testing__Enabled=true.")
            .ProducesProblems(ApiError.TestAddressRequired, ApiError.SignInNotAllowed, ApiError.UpstreamUnavailable);
        return routes;
    }

    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> CreateSessionAsync(
        TestSessionRequest request, HttpContext context, TestAddresses testing, SignInPolicy policy, SessionService sessions,
        AuthEvents events, TimeProvider time, CancellationToken ct)
    {
        EmailAddress.TryCanonicalize(request.Email, out var email);
        if (!testing.IsTestAddress(email))
        {
            return Problems.From(ApiError.TestAddressRequired);
        }
        var started = events.Start();
        var login = new VerifiedLogin("", email, "/", "signin", null);
        // The real sign-in policy decides, as for a verified code: its hook names the user; the suite may set the roles.
        var decision = await policy.DecideAtVerifyAsync(context, login, ct);
        if (decision is not VerifyDecision.Allowed { User: var user })
        {
            var refused = new VerifyResult.Failed(decision is VerifyDecision.Refused ? ApiError.SignInNotAllowed : ApiError.UpstreamUnavailable);
            await events.VerifiedAsync(context, "testing", null, refused, started, ct);
            return Problems.From(refused.Failure);
        }
        user = request.Roles is null ? user : user with { Roles = request.Roles };
        var session = sessions.Issue(context, await sessions.PrepareAsync(context, login, user, ct));
        await events.VerifiedAsync(context, "testing", null, new VerifyResult.Verified(login), started, ct);
        return TypedResults.Ok(SessionResponse.From(session, time.GetUtcNow()));
    }
}

using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using PasswordlessBff.Auth;
using PasswordlessBff.Errors;
using PasswordlessBff.Http;
using PasswordlessBff.Limits;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Sessions;

namespace PasswordlessBff.Testing;

public sealed record TestSessionRequest(string? Email);

public sealed class TestSessionRequestValidator : AbstractValidator<TestSessionRequest>
{
    public TestSessionRequestValidator() =>
        RuleFor(r => r.Email).Must(email => EmailAddress.TryCanonicalize(email, out _)).WithMessage("Enter a test address such as ada@test.invalid.");
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
            .ProducesProblems(ApiError.TestAddressRequired, ApiError.UpstreamUnavailable);
        return routes;
    }

    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> CreateSessionAsync(
        TestSessionRequest request, HttpContext context, TestAddresses testing, SessionService sessions, AuthEvents events,
        TimeProvider time, CancellationToken ct)
    {
        EmailAddress.TryCanonicalize(request.Email, out var email);
        if (!testing.IsTestAddress(email))
        {
            return Problems.From(ApiError.TestAddressRequired);
        }
        var started = events.Start();
        var login = new VerifiedLogin("", email, "/", "signin", null);
        var session = sessions.Issue(context, await sessions.PrepareAsync(context, login, ct));
        await events.VerifiedAsync(context, "testing", null, new VerifyResult.Verified(login), started, ct);
        return TypedResults.Ok(SessionResponse.From(session, time.GetUtcNow()));
    }
}

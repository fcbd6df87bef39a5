using Microsoft.AspNetCore.Http.HttpResults;
using PasswordlessBff.Errors;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Sessions;
using PasswordlessKind = PasswordlessBff.Passwordless.PasswordlessType;

namespace PasswordlessBff.Auth;

// What the sign-in endpoints take and answer: requests, then responses.
public sealed record SendRequest(
    string? Email,
    string? ReturnTo,
    string? Template,
    string? State,
    string? Locale = null,
    Dictionary<string, string>? TemplateVariables = null,
    string? CodeChallenge = null,
    string? CodeChallengeMethod = null);

public sealed record ResendRequest(string? AuthRequestId);

public sealed record VerifyRequest(string? Code, string? LinkToken, string? AuthRequestId, string? CodeVerifier = null);

public sealed record SendResponse(
    string AuthRequestId, DateTimeOffset ExpiresAt, int ExpiresIn, string PasswordlessType, int ResendAfter, string? ApprovalNumber = null)
{
    // Send and resend answer alike: the problem, or the ticket with the binding cookie set (or refreshed: the login
    // may now live longer, or with Scalekit have a new id). bind is false for a resend by a client that does not hold
    // this login's cookie: knowing an id does not make a browser the one that asked (SECURITY.md item 7).
    public static Results<Ok<SendResponse>, ProblemHttpResult> Answer(
        SendResult result, HttpContext context, BrowserBinding binding, TimeProvider time, bool bind = true)
    {
        if (result is SendResult.Failed failed)
        {
            return Problems.From(failed.Failure);
        }
        var ticket = ((SendResult.Sent)result).Ticket;
        if (bind)
        {
            binding.Set(context, ticket.LoginId, ticket.ExpiresAt);
        }
        return TypedResults.Ok(From(ticket, time.GetUtcNow()));
    }

    public static SendResponse From(LoginTicket ticket, DateTimeOffset now) => new(
        ticket.LoginId, ticket.ExpiresAt, Math.Max(0, (int)(ticket.ExpiresAt - now).TotalSeconds),
        ticket.Type switch { PasswordlessKind.Link => "LINK", PasswordlessKind.Otp => "OTP", _ => "LINK_OTP" },
        ticket.ResendAfterSeconds, ticket.ApprovalNumber);
}

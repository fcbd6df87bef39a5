namespace PasswordlessBff.Errors;

// An expected failure of a sign-in step, with the wait a client should observe when there is one.
public sealed record AuthFailure(AuthError Error, TimeSpan? RetryAfter = null)
{
    public static implicit operator AuthFailure(AuthError error) => new(error);
}

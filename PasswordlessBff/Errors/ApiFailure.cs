namespace PasswordlessBff.Errors;

// An expected failure of a sign-in step, with the wait a client should observe when there is one.
public sealed record ApiFailure(ApiError Error, TimeSpan? RetryAfter = null)
{
    public static implicit operator ApiFailure(ApiError error) => new(error);
}

namespace PasswordlessBff.Limits;

public sealed record EmailQuota(bool Allowed, TimeSpan RetryAfter);

// Wrong codes per mailbox, counted across logins in a window that starts at the first failure: the first
// FreeFailures cost nothing, after that each guess waits (FirstDelay, doubling, at most MaxDelay), and at MaxFailures
// the mailbox takes no more guesses until the window ends (SECURITY.md item 6).
public sealed record AddressFailurePolicy(int FreeFailures, int MaxFailures, TimeSpan Window, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    public static readonly AddressFailurePolicy Default = new(10, 100, TimeSpan.FromHours(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
}

public sealed record AddressGate(bool Allowed, TimeSpan RetryAfter);

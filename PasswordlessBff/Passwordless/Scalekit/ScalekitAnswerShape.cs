using System.Diagnostics;
using System.Security.Cryptography;

namespace PasswordlessBff.Passwordless.Scalekit;

// What Scalekit's send answers look like lately, so an address the static sign-in policy refuses (never sent to
// Scalekit) gets an answer of the same shape and about the same latency: an id like Scalekit's, its passwordless
// type, and a wait as long as a typical send (SECURITY.md item 11).
public sealed class ScalekitAnswerShape
{
    private const string Hex = "0123456789abcdef";
    private const string Base64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private string _lastId = "pwl_" + new string('0', 24);
    private PasswordlessType _lastType = PasswordlessType.LinkOtp;
    private double _typicalMilliseconds;

    public void Observed(string id, PasswordlessType type, TimeSpan took)
    {
        lock (_gate)
        {
            _lastId = id;
            _lastType = type;
            _typicalMilliseconds = _typicalMilliseconds == 0 ? took.TotalMilliseconds : (0.9 * _typicalMilliseconds) + (0.1 * took.TotalMilliseconds);
        }
    }

    public PasswordlessType Type
    {
        get { lock (_gate) { return _lastType; } }
    }

    // The last id's prefix (up to its last '_') and length, the rest random from the same alphabet.
    public string NewId()
    {
        string last;
        lock (_gate)
        {
            last = _lastId;
        }
        var prefix = last[..(last.LastIndexOf('_') + 1)];
        var alphabet = last[prefix.Length..].All(Hex.Contains) ? Hex : Base64Url;
        return prefix + RandomNumberGenerator.GetString(alphabet, last.Length - prefix.Length);
    }

    // Real time on purpose: this shapes the wall-clock latency a client measures, whatever clock the logic runs on.
    public static long Start() => Stopwatch.GetTimestamp();

    public static TimeSpan Since(long started) => Stopwatch.GetElapsedTime(started);

    public Task WaitLikeASendAsync(long started, CancellationToken ct)
    {
        double typical;
        lock (_gate)
        {
            typical = _typicalMilliseconds;
        }
        var wait = TimeSpan.FromMilliseconds(typical) - Since(started);
        return wait > TimeSpan.Zero ? Task.Delay(wait < MaxWait ? wait : MaxWait, TimeProvider.System, ct) : Task.CompletedTask;
    }
}

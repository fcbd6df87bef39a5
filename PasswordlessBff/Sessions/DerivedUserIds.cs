using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Sessions;

// The user id of a session no policy hook named: the same for one canonical address every time, and nobody without
// the key can go back from it to the address (or test a guess against it).
public sealed class DerivedUserIds(IOptions<SessionOptions> options, SigningKeyRing keys)
{
    private readonly byte[] _key = options.Value.UserIdKey is { } configured && SigningKeyRing.TryDecode(configured, out var key)
        ? key
        : keys.DeriveKey("PasswordlessBff.UserId.v1");

    public string For(string canonicalEmail) =>
        "u_" + Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(canonicalEmail)).AsSpan(0, 16));

    public SessionUser UserOf(SessionRecord record) => record.User ?? new SessionUser(For(record.Email), [], new Dictionary<string, string>());
}

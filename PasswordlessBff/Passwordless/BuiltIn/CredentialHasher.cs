using System.Security.Cryptography;
using System.Text;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;

namespace PasswordlessBff.Passwordless.BuiltIn;

// Keyed hashes (HMAC-SHA256) of codes, link tokens and addresses; the store never sees them in clear.
public sealed class CredentialHasher(SigningKeyRing keys)
{
    private readonly byte[] _key = keys.DeriveKey("PasswordlessBff.CredentialHash.v1");

    // A code is bound to its login, so the same six digits in two logins never share a hash.
    public byte[] HashCode(string loginId, string code) => Hash($"code\n{loginId}\n{code}");

    public byte[] HashLink(string linkToken) => Hash($"link\n{linkToken}");

    // The canonical address itself: the account in audit events.
    public byte[] HashAddress(string canonicalEmail) => Hash($"address\n{canonicalEmail}");

    // The mailbox behind the address (+tag folded): the key of the email budget and the wrong-code gate.
    public byte[] HashMailbox(string canonicalEmail) => Hash($"mailbox\n{EmailAddress.MailboxKey(canonicalEmail)}");

    public static bool Matches(byte[] expected, byte[] actual) => CryptographicOperations.FixedTimeEquals(expected, actual);

    private byte[] Hash(string value) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(value));
}

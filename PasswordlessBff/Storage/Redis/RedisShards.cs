using System.Security.Cryptography;
using System.Text;

namespace PasswordlessBff.Storage.Redis;

// Redis Cluster runs a script only when all its keys share a hash slot. A login, its email jobs and the queue they wait
// in therefore share one of 16 shards, named by a hash tag in their keys; a login's shard follows from its id and a
// job's from its id's login part (EmailJob.NewId), so every call finds the keys from the id it is given.
public static class RedisShards
{
    // Each tag's slot (CRC16 mod 16384) lies in the middle of its sixteenth of the slot space, so the shards spread
    // evenly over any cluster that splits the slots evenly (RedisClusterInfrastructureTests checks each with CLUSTER
    // KEYSLOT).
    public static readonly IReadOnlyList<string> Tags =
        ["{u0}", "{qp}", "{dj}", "{wz}", "{d2}", "{pv}", "{uh}", "{iy}", "{ly}", "{h9}", "{uv}", "{q6}", "{rz}", "{qn}", "{dt}", "{ha}"];

    public static string OfLogin(string loginId) => Tags[SHA256.HashData(Encoding.UTF8.GetBytes(loginId))[0] % Tags.Count];

    public static string OfJob(string jobId) => OfLogin(EmailJob.LoginIdOf(jobId));
}

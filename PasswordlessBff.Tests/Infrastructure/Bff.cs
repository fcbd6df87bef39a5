using Microsoft.AspNetCore.Hosting;

namespace PasswordlessBff.Tests.Infrastructure;

// A named set of settings a suite runs under, on any store: Bff<RedisStore, OtpOnly> is the OTP-only service on Redis.
public interface ISettingsProfile
{
    static abstract IReadOnlyDictionary<string, string?> Settings { get; }

    static virtual string Environment => "Production";

    // For the few profiles that change the host itself (a simulated peer address, an extra route).
    static virtual void Configure(IWebHostBuilder builder)
    {
    }
}

// One host factory, generic over the store and the settings: a suite's OnSqlite and OnRedis lines differ in TStore only.
public sealed class Bff<TStore, TProfile> : BffFactory where TStore : ITestStore, new() where TProfile : ISettingsProfile
{
    public Bff() : base(new TStore(), TProfile.Settings) => Environment = TProfile.Environment;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        TProfile.Configure(builder);
    }
}

public sealed class Defaults : ISettingsProfile
{
    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();
}

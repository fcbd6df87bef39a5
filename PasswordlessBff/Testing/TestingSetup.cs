using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PasswordlessBff.Email;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Passwordless.BuiltIn;

namespace PasswordlessBff.Testing;

public static class TestingSetup
{
    // After AddPasswordless: with Scalekit, test addresses are handled by the built-in provider and never reach it.
    public static IServiceCollection AddTesting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TestingOptions>().Bind(configuration.GetSection(TestingOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TestingOptions>, TestingOptionsValidator>();
        services.AddSingleton<TestAddresses>();

        var enabled = configuration.GetSection(TestingOptions.SectionName).Get<TestingOptions>()?.Enabled ?? false;
        if (!enabled || PasswordlessSetup.ProviderKind(configuration) is not PasswordlessProviderKind.Scalekit)
        {
            return services;
        }
        var upstream = services.Single(d => d.ServiceType == typeof(IPasswordlessProvider));
        services.Remove(upstream);
        services.Add(new ServiceDescriptor(upstream.ImplementationType!, upstream.ImplementationType!, upstream.Lifetime));
        services.AddSingleton<BuiltInProvider>();
        // The built-in provider's queue is never written for a test address; it only has to exist.
        services.TryAddSingleton<EmailMetrics>();
        services.AddHttpContextAccessor();
        services.TryAddSingleton<EmailJobPayload>();
        services.TryAddSingleton<EmailQueue>();
        // With the upstream's lifetime: Scalekit's typed HTTP client is transient and must not be held for good.
        services.Add(new ServiceDescriptor(typeof(IPasswordlessProvider), sp => new TestAddressRouter(
            (IPasswordlessProvider)sp.GetRequiredService(upstream.ImplementationType!), sp.GetRequiredService<BuiltInProvider>(),
            sp.GetRequiredService<TestAddresses>(), sp.GetRequiredService<Storage.ILoginStore>()), upstream.Lifetime));
        return services;
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PasswordlessBff.Errors;
using PasswordlessBff.Passwordless;

namespace PasswordlessBff.Mobile;

// The association files that let iOS and Android open magic links in the app (docs/MOBILE.md).
public static class MobileApi
{
    public const string ApplePath = "/.well-known/apple-app-site-association";
    public const string AndroidPath = "/.well-known/assetlinks.json";
    private static readonly string[] HandleAllUrls = ["delegate_permission/common.handle_all_urls"];

    public static IServiceCollection AddMobile(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MobileOptions>().Bind(configuration.GetSection(MobileOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MobileOptions>, MobileOptionsValidator>();
        return services;
    }

    public static IEndpointRouteBuilder MapMobile(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/.well-known").WithTags("Mobile");
        group.MapGet("/apple-app-site-association", Apple)
            .WithSummary("iOS universal links: the configured apps may open the magic link (the verify path only)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").ProducesProblems(ApiError.NotFound);
        group.MapGet("/assetlinks.json", Android)
            .WithSummary("Android App Links: the configured packages and signing certificates may open the magic link")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").ProducesProblems(ApiError.NotFound);
        return routes;
    }

    private static Results<JsonHttpResult<object>, ProblemHttpResult> Apple(IOptions<MobileOptions> mobile, IOptions<PasswordlessOptions> passwordless)
    {
        var appIds = mobile.Value.Apple.AppIds;
        if (appIds.Length == 0)
        {
            return Problems.From(ApiError.NotFound);
        }
        // Only the link's own path opens the app: the sign-in page and the API stay in the browser.
        var verifyPath = MagicLink.VerifyUri(passwordless.Value).AbsolutePath;
        object file = new { applinks = new { details = new[] { new { appIDs = appIds, components = new[] { new Dictionary<string, object> { ["/"] = verifyPath } } } } } };
        return TypedResults.Json(file, contentType: "application/json");
    }

    private static Results<JsonHttpResult<object>, ProblemHttpResult> Android(IOptions<MobileOptions> mobile)
    {
        var android = mobile.Value.Android;
        if (android.Packages.Length == 0)
        {
            return Problems.From(ApiError.NotFound);
        }
        var fingerprints = android.Fingerprints.Select(f => f.ToUpperInvariant()).ToArray();
        object file = android.Packages.Select(package => new
        {
            relation = HandleAllUrls,
            target = new { @namespace = "android_app", package_name = package, sha256_cert_fingerprints = fingerprints },
        }).ToArray();
        return TypedResults.Json(file, contentType: "application/json");
    }
}

using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PasswordlessBff.Proxy;

// What a backend needs to verify the forwarded identity: AddJwtBearer(o => o.Authority = "<this service>") or jose's
// createRemoteJWKSet read these two documents and nothing else.
public static class IdentityMetadataApi
{
    public const string JwksPath = "/.well-known/jwks.json";
    public const string ConfigurationPath = "/.well-known/openid-configuration";

    public static IEndpointRouteBuilder MapIdentityMetadata(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/.well-known").WithTags("Forwarded identity").AllowAnonymous();
        group.MapGet("/jwks.json", GetKeysAsync).WithName("GetForwardedIdentityKeys")
            .WithSummary("Public keys that verify the identity token forwarded to backends (JWKS)");
        group.MapGet("/openid-configuration", GetConfiguration).WithName("GetForwardedIdentityConfiguration")
            .WithSummary("Issuer and JWKS address of the forwarded identity token (minimal OpenID metadata)");
        return app;
    }

    private static async Task<Ok<JsonWebKeySet>> GetKeysAsync(HttpContext context, ProxySigningKeys keys)
    {
        var ring = await keys.RingAsync(context.RequestAborted);
        // The next key is published long before it signs, so caches may keep this for a while.
        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(new JsonWebKeySet([.. ring.Published.Select(key => key.ToPublicJwk())]));
    }

    private static Ok<IdentityConfiguration> GetConfiguration(HttpContext context, ForwardedIdentityTokens tokens)
    {
        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(new IdentityConfiguration(tokens.Issuer, tokens.Issuer + JwksPath, ["ES256"]));
    }
}

public sealed record JsonWebKeySet(IReadOnlyList<PublicJsonWebKey> Keys);

public sealed record IdentityConfiguration(
    string Issuer,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("id_token_signing_alg_values_supported")] IReadOnlyList<string> SigningAlgorithms);

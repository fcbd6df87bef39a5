using System.Text.Json;
using System.Text.Json.Serialization;

namespace PasswordlessBff.Passwordless.Scalekit;

// Scalekit's wire format: snake_case; int64 fields such as expires_at arrive as JSON strings (grpc-gateway).
public static class ScalekitJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}

public sealed record ScalekitTokenResponse(string AccessToken, string? TokenType, long ExpiresIn);

public sealed record ScalekitSendRequest(
    string Email, string? Template, string? MagiclinkAuthUri, string? State, int? ExpiresIn,
    IReadOnlyDictionary<string, string>? TemplateVariables);

public sealed record ScalekitResendRequest(string AuthRequestId);

public sealed record ScalekitVerifyRequest(string? Code, string? LinkToken, string? AuthRequestId);

public sealed record ScalekitSendResponse(string AuthRequestId, long ExpiresAt, long ExpiresIn, string? PasswordlessType);

public sealed record ScalekitVerifyResponse(string Email, string? State, string? Template, string? PasswordlessType);

// grpc-gateway's error body; read only to classify the failure, never passed on.
public sealed record ScalekitErrorBody(int? Code, string? Message, IReadOnlyList<ScalekitErrorDetail>? Details);

public sealed record ScalekitErrorDetail(string? ErrorCode);

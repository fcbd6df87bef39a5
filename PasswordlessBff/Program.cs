using PasswordlessBff.Admin;
using PasswordlessBff.ApiDocs;
using PasswordlessBff.Auth;
using PasswordlessBff.Email;
using PasswordlessBff.Errors;
using PasswordlessBff.Health;
using PasswordlessBff.Http;
using PasswordlessBff.Limits;
using PasswordlessBff.Mobile;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Policy;
using PasswordlessBff.Proxy;
using PasswordlessBff.Sessions;
using PasswordlessBff.Storage;
using PasswordlessBff.Telemetry;
using PasswordlessBff.Testing;
using PasswordlessBff.Ui;

// The container health check runs this binary as a tiny HTTP client, not as a second server.
if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

// The framework's request log prints full URLs, and a magic link's query string is a secret: never below Warning.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", level => level >= LogLevel.Warning);

// Every clock read goes through TimeProvider so tests can move time.
builder.Services.AddSingleton(TimeProvider.System);

// Errors: ProblemDetails with a stable code, never internals.
builder.Services.AddAuthProblemDetails();

// Sign-in endpoints: validation, returnTo policy, browser binding, the session step, metrics and audit events.
builder.Services.AddAuth();

// Who may sign in and which user they are: static lists and the team's signed hook, asked before any email goes out
// and after a code or link checked out.
builder.Services.AddPolicy(builder.Configuration);

// Who issues and checks links and codes: the built-in provider or Scalekit.
builder.Services.AddPasswordless(builder.Configuration);

// Integration-test mode: test addresses with a known code and link, never emailed (off unless Testing__Enabled).
builder.Services.AddTesting(builder.Configuration);

// Every limit: per client (forwarded only by configured proxies), per mailbox email budget, wrong-code gate.
builder.Services.AddLimits(builder.Configuration);
builder.Services.AddTrustedProxies(builder.Configuration);

// Storage: pending logins, sessions and Data Protection keys (encrypted when a certificate is configured) in embedded
// SQLite, or Redis for several instances.
builder.Services.AddStore(builder.Configuration, builder.Environment);

// Sessions: signed cookie pointing at a revocable server-side record.
builder.Services.AddSessions(builder.Configuration);

// The team's servers end a user's sessions everywhere: bearer keys, no cookies, absent without a key.
builder.Services.AddAdmin(builder.Configuration);

// The team's backends behind this origin: YARP routes that need a session by default and forward a signed identity.
builder.Services.AddProxy(builder.Configuration);

// Email: composed here, delivered in the background over SMTP (or to the dev mailbox), with its readiness check.
builder.Services.AddLoginEmail(builder.Configuration, builder.Environment);

// Liveness and readiness (each feature adds its own readiness check).
builder.Services.AddHealth();

// Metrics and traces: exporters for the meters each feature registers; Prometheus and OTLP when configured.
builder.Services.AddTelemetry(builder.Configuration);

// The OpenAPI document at /openapi/v1.json, in every environment; the Scalar reference at /scalar in Development.
builder.Services.AddApiDocs();

// The built-in sign-in page at /, unless an SPA brings its own.
builder.Services.AddUi(builder.Configuration);

// The association files that let iOS and Android apps open magic links.
builder.Services.AddMobile(builder.Configuration);

builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestSizeLimit.MaxBodyBytes);

var app = builder.Build();

// The client address and scheme come from forwarded headers only behind a configured proxy.
app.UseTrustedProxies();
app.UseExceptionHandler();
app.UseStatusCodePages();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}
app.UseSecurityHeaders();
app.UseRequestSizeLimit();

// The built-in sign-in page at /, unless an SPA brings its own.
app.UseUi();

app.UseRateLimiter();

// Protected routes: the session scheme and the session policy (CSRF first, then 401 or 403 as JSON).
app.UseAuthentication();
app.UseAuthorization();

app.MapAuthApi();
app.MapSessionApi();
app.MapTesting();
app.MapAdminApi();
app.MapProxy();
app.MapUi();
app.MapMobile();
app.MapHealth();
app.MapTelemetry(app.Configuration);
app.MapApiDocs();

// The dev mailbox exists only in Development without SMTP.
if (app.Environment.IsDevelopment() && app.Services.UsesDevMailbox())
{
    app.MapDevMailbox();
}

app.Run();
return 0;

public partial class Program;

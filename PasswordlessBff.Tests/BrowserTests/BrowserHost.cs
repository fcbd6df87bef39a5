using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PasswordlessBff.Email;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.BrowserTests;

// The real service on a free localhost port (Kestrel, Development, dev mailbox, real clock) and one headless Chromium.
// http://localhost is a secure context for Chromium, so the __Host- cookies work as they do for a person running it.
public class BrowserHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "pwlbff-browser", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> _settings;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public BrowserHost() : this(new Dictionary<string, string?>())
    {
    }

    protected BrowserHost(IDictionary<string, string?> overrides)
    {
        Port = FreePort.Next();
        BaseUrl = $"http://localhost:{Port}";
        _settings = new Dictionary<string, string?>
        {
            ["Passwordless:PublicBaseUrl"] = BaseUrl,
            ["Storage:Sqlite:Path"] = Path.Combine(_dataDirectory, "browser.db"),
            ["Session:DevKeyPath"] = Path.Combine(_dataDirectory, "session-signing.key"),
            ["Session:SigningKey"] = "",
            ["Email:Smtp:Host"] = "",
            ["Email:From"] = "",
            ["RateLimits:SendPerMinute"] = "100000",
            ["RateLimits:VerifyPerMinute"] = "100000",
            ["RateLimits:PollPerMinute"] = "100000",
        };
        foreach (var (key, value) in overrides)
        {
            _settings[key] = value;
        }
        UseKestrel(kestrel => kestrel.ListenLocalhost(Port));
    }

    public int Port { get; }

    public string BaseUrl { get; }

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser starts with the fixture.");

    public DevMailbox Mailbox => Services.GetRequiredService<DevMailbox>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    // A fresh browser profile: its own cookies and storage, like a second browser on the same machine.
    public Task<IBrowserContext> NewContextAsync(int width = 1024, int height = 800, string? userAgent = null) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            UserAgent = userAgent,
            IsMobile = userAgent is not null && userAgent.Contains("Mobile", StringComparison.Ordinal),
            HasTouch = userAgent is not null && userAgent.Contains("Mobile", StringComparison.Ordinal),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });

    // Delivery is in the background: wait (bounded) until the dev mailbox holds the nth email for this address.
    public async Task<DevMailboxMessage> WaitForMailAsync(string to, int nth = 1)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var matching = Mailbox.NewestFirst.Where(m => m.To.Contains(to, StringComparison.OrdinalIgnoreCase)).Reverse().ToList();
            if (matching.Count >= nth)
            {
                return matching[nth - 1];
            }
            await Task.Delay(50, deadline.Token);
        }
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/ensure-chromium.sh (Debian's chromium package).");
        }
        StartServer();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--headless", "--disable-background-networking", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

// Resend countdowns of two seconds keep the countdown test quick.
public sealed class ShortResendBrowserHost() : BrowserHost(new Dictionary<string, string?> { ["Passwordless:ResendAfter"] = "2" });

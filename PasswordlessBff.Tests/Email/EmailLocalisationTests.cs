using System.Net;
using PasswordlessBff.Auth;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Email;

public sealed class CustomTemplatesFactory : BffFactory
{
    public CustomTemplatesFactory()
        : base(new Dictionary<string, string?>
        {
            ["Email:TemplatesPath"] = CreateFolder(),
            ["Email:ReplyTo"] = "Support <support@tests.example>",
        })
    {
    }

    // A marketing override: a new subject for sign-in and a friendlier German greeting; everything else built in.
    private static string CreateFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pwlbff-tests", Guid.NewGuid().ToString("N"), "templates");
        Directory.CreateDirectory(Path.Combine(folder, "locales"));
        File.WriteAllText(Path.Combine(folder, "signin.subject.liquid"), "{{ app_name }}: your code is {{ otp }} {{ campaign }}");
        File.WriteAllText(Path.Combine(folder, "locales", "de.json"), """{ "signin": { "greeting": "Servus," } }""");
        return folder;
    }
}

public sealed class EmailLocalisationTests(CustomTemplatesFactory factory) : IClassFixture<CustomTemplatesFactory>
{
    [Theory]
    [InlineData("de", null, "Gültig für 5 Minuten")]
    [InlineData(null, "fr-CH, fr;q=0.9, en;q=0.5", "Valable 5 minutes")]
    [InlineData(null, "es-MX", "Caduca en 5 minutos")]
    [InlineData("pt-BR", "ja", "This expires in 5 minutes")]
    public async Task TheEmailFollowsTheLocaleThenAcceptLanguageThenEnglish(string? locale, string? acceptLanguage, string expected)
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var response = await browser.PostAsync(AuthApi.SendPath, new { email, locale }, configure: request =>
        {
            if (acceptLanguage is not null)
            {
                request.Headers.Add("Accept-Language", acceptLanguage);
            }
        });
        await Expect.StatusAsync(response, HttpStatusCode.OK);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        Assert.Contains(expected, mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains(expected, mail.Message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSignupTemplateIsUsedWhenSendAsksForIt()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await Expect.StatusAsync(await browser.PostAsync(AuthApi.SendPath, new { email, template = "signup", locale = "fr" }), HttpStatusCode.OK);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        Assert.Equal("Confirmez votre adresse e-mail pour PasswordlessBff", mail.Message.Subject);
        Assert.Contains("terminer votre inscription", mail.Message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResendKeepsTheLanguageOfTheFirstEmail()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await Expect.StatusAsync(await browser.PostAsync(AuthApi.SendPath, new { email, locale = "es" }), HttpStatusCode.OK);
        factory.Time.Advance(TimeSpan.FromSeconds(30));
        await Expect.StatusAsync(await browser.PostAsync(AuthApi.ResendPath), HttpStatusCode.OK);
        var second = await LoginMail.ReceiveAsync(factory, email, nth: 2);
        Assert.Contains("Caduca en 5 minutos", second.Message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomTemplatesAndStringsOverrideTheBuiltInOnesAndSeeTemplateVariables()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var response = await browser.PostAsync(AuthApi.SendPath, new { email, locale = "de", templateVariables = new { campaign = "(winter)" } });
        await Expect.StatusAsync(response, HttpStatusCode.OK);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        Assert.Equal($"PasswordlessBff: your code is {mail.Code} (winter)", mail.Message.Subject);
        Assert.StartsWith("Servus,", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Gültig für 5 Minuten", mail.Message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMessageCarriesDeliverabilityHeaders()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email);
        var message = (await LoginMail.ReceiveAsync(factory, email)).Message;

        Assert.False(string.IsNullOrEmpty(message.MessageId));
        Assert.EndsWith("tests.example", message.MessageId, StringComparison.Ordinal);
        Assert.True(message.Date > DateTimeOffset.UnixEpoch);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        Assert.Equal("All", message.Headers["X-Auto-Response-Suppress"]);
        Assert.Equal("support@tests.example", message.ReplyTo.Mailboxes.Single().Address);
        Assert.DoesNotContain("<img", message.HtmlBody, StringComparison.Ordinal);
        Assert.True(IsShort(LoginMail.From(message)));
    }

    [Theory]
    [InlineData("{\"x\":\"too short key\"}")]
    [InlineData("{\"otp\":\"reserved\"}")]
    [InlineData("{\"bad key\":\"spaces\"}")]
    public async Task InvalidTemplateVariablesAreValidationFailed(string variables)
    {
        using var browser = factory.NewBrowser();
        var body = $$"""{"email":"{{Addresses.Unique()}}","templateVariables":{{variables}}}""";
        var response = await browser.PostAsync(AuthApi.SendPath, configure: r => r.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await Expect.ProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task MoreThanThirtyTemplateVariablesOrLongValuesAreValidationFailed()
    {
        using var browser = factory.NewBrowser();
        var many = Enumerable.Range(0, 31).ToDictionary(i => $"key{i}", i => "v");
        await Expect.ProblemAsync(await browser.PostAsync(AuthApi.SendPath, new { email = Addresses.Unique(), templateVariables = many }), HttpStatusCode.BadRequest, "validation_failed");
        var longValue = new Dictionary<string, string> { ["campaign"] = new string('x', 257) };
        await Expect.ProblemAsync(await browser.PostAsync(AuthApi.SendPath, new { email = Addresses.Unique(), templateVariables = longValue }), HttpStatusCode.BadRequest, "validation_failed");
    }

    private static bool IsShort(LoginMail mail) => mail.Link!.AbsoluteUri.Length < 120;
}

public sealed class BrokenTemplateTests
{
    [Fact]
    public async Task ATemplateThatDoesNotParseStopsStartUpNamingTheFile()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pwlbff-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "signup.html.liquid"), "<p>{% if otp %}unclosed</p>");
        var error = await StartupFailure.OfAsync(() => new BffFactory(new Dictionary<string, string?> { ["Email:TemplatesPath"] = folder }));
        Assert.Contains("signup.html.liquid", error, StringComparison.Ordinal);
    }
}

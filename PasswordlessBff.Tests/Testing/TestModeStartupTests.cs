using System.Net;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Testing;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Testing;

// Never by accident in production: test mode outside the test environments needs every safe setting, named.
public sealed class TestModeStartupTests
{
    [Fact]
    public async Task InProductionTestModeRefusesToStartAndNamesTheSettings()
    {
        var error = await StartupFailure.OfAsync(() => new BffFactory(new Dictionary<string, string?> { ["Testing:Enabled"] = "true" }));

        Assert.Contains("Testing__AllowInProduction", error, StringComparison.Ordinal);
        Assert.Contains("Testing__AddressPatterns__N", error, StringComparison.Ordinal);
        Assert.Contains("Testing__Code", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*@example.com", "31415926", "Testing__AddressPatterns__N")]
    [InlineData("review@example.com", "424242", "Testing__Code")]
    public async Task InProductionWildcardsAndShortCodesAreRefusedEvenWhenAllowed(string pattern, string code, string named)
    {
        var error = await StartupFailure.OfAsync(() => new BffFactory(new Dictionary<string, string?>
        {
            ["Testing:Enabled"] = "true", ["Testing:AllowInProduction"] = "true",
            ["Testing:AddressPatterns:0"] = pattern, ["Testing:Code"] = code,
        }));

        Assert.Contains(named, error, StringComparison.Ordinal);
    }
}

// The app-store review case: one exact address and the operator's 8-digit code, in Production.
public sealed class ProductionReviewAccount : ISettingsProfile
{
    public const string Address = "review@example.com";
    public const string Code = "31415926";

    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Testing:Enabled"] = "true",
        ["Testing:AllowInProduction"] = "true",
        ["Testing:AddressPatterns:0"] = "Review@Example.com",
        ["Testing:Code"] = Code,
    };
}

public sealed class ProductionTestModeTests(Bff<SqliteStore, ProductionReviewAccount> factory) : IClassFixture<Bff<SqliteStore, ProductionReviewAccount>>
{
    [Fact]
    public async Task TheReviewAddressSignsInWithTheOperatorsCodeAndEachUseIsAWarningInTheAuditLog()
    {
        using var browser = factory.NewBrowser();
        await browser.SendAsync(ProductionReviewAccount.Address);

        await Expect.StatusAsync(await browser.VerifyCodeAsync(ProductionReviewAccount.Code), HttpStatusCode.OK);

        Assert.Equal(0, factory.Smtp.CountFor(ProductionReviewAccount.Address));
        var uses = factory.Logs.Lines.Where(l => l.Contains("production test mode", StringComparison.Ordinal)).ToList();
        Assert.Contains(uses, l => l.Contains("for send", StringComparison.Ordinal));
        Assert.Contains(uses, l => l.Contains("for sign-in", StringComparison.Ordinal));
        Assert.DoesNotContain(uses, l => l.Contains(ProductionReviewAccount.Address, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TheDefaultCodeTheKnownLinkAndTheOneCallSessionDoNotExistInProduction()
    {
        using var browser = factory.NewBrowser();
        await browser.SendAsync(ProductionReviewAccount.Address);

        await Expect.ProblemAsync(await browser.VerifyCodeAsync(TestingOptions.DefaultCode), HttpStatusCode.BadRequest, "credential_invalid");
        Expect.RedirectTo(await browser.GetAsync($"{AuthApi.VerifyPath}?link_token={TestingOptions.DefaultLinkToken}"), "/?error=credential_invalid");
        var oneCall = await browser.PostAsync(TestingApi.SessionPath, new { email = ProductionReviewAccount.Address });
        await Expect.ProblemAsync(oneCall, HttpStatusCode.NotFound, "not_found");
        await Expect.ProblemAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task OtherAddressesAreUnchangedAndGetTheirEmail()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("customer");
        await browser.SendAsync(email);

        var mail = await factory.ReceiveMailAsync(email);

        await Expect.StatusAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.OK);
    }
}

// Development applies the defaults too, with no environment listed.
public sealed class DevelopmentTestMode : ISettingsProfile
{
    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Testing:Enabled"] = "true" };

    public static string Environment => "Development";
}

public sealed class DevelopmentTestModeTests(Bff<SqliteStore, DevelopmentTestMode> factory) : IClassFixture<Bff<SqliteStore, DevelopmentTestMode>>
{
    [Fact]
    public async Task InDevelopmentTheDefaultTestAddressesAndCodeApply()
    {
        using var browser = factory.NewBrowser();
        await browser.SendAsync(TestAddress.Unique("dev"));

        await Expect.StatusAsync(await browser.VerifyCodeAsync(TestingOptions.DefaultCode), HttpStatusCode.OK);
    }
}

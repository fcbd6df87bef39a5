using System.Net;
using System.Net.Http.Json;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Auth;

// SECURITY.md item 14: one mailbox is one account and one budget, however its address is spelled.
public sealed class CanonicalAddressTests
{
    [Theory]
    [InlineData("Victim@Example.com", "victim@example.com")]
    [InlineData("  victim@example.com.  ", "victim@example.com")]
    [InlineData("VICTIM@EXAMPLE.COM", "victim@example.com")]
    [InlineData("victim@exämple.com", "victim@xn--exmple-cua.com")]
    [InlineData("victim@XN--EXMPLE-CUA.com", "victim@xn--exmple-cua.com")]
    [InlineData("V.ictim+1@Gmail.com", "v.ictim+1@gmail.com")]
    [InlineData("VICTIM-AB@EXÄMPLE.COM", "victim-ab@xn--exmple-cua.com")]
    [InlineData("Victim-ab@Exämple.com.", "victim-ab@xn--exmple-cua.com")]
    public void AddressesAreCanonicalisedToOneForm(string typed, string canonical)
    {
        Assert.True(EmailAddress.TryCanonicalize(typed, out var result));
        Assert.Equal(canonical, result);
    }

    [Theory]
    [InlineData("\"victim\"@example.com")]
    [InlineData("a@[10.0.0.5]")]
    [InlineData("root@localhost")]
    [InlineData("root@localhost.")]
    [InlineData("victim@10.0.0.5")]
    [InlineData("Ada <ada@example.com>")]
    [InlineData("ada@exa mple.com")]
    [InlineData("ada@-example.com")]
    [InlineData("ada@example..com")]
    [InlineData("ada\r\n@example.com")]
    [InlineData("jürgen@example.com")]
    public void QuotedLiteralDotlessAndMalformedAddressesAreRefused(string typed) =>
        Assert.False(EmailAddress.TryCanonicalize(typed, out _));

    [Fact]
    public void AddressesOverTwoHundredFiftyFourCharactersAreRefused()
    {
        var domain = string.Join('.', Enumerable.Repeat(new string('d', 60), 4)) + ".com";
        Assert.True(EmailAddress.TryCanonicalize($"a@{domain}", out _));
        Assert.False(EmailAddress.TryCanonicalize($"{new string('a', 64)}@{domain}", out _));
    }

    [Theory]
    [InlineData("victim+tag@example.com", "victim@example.com")]
    [InlineData("v.ic.tim+1@gmail.com", "victim@gmail.com")]
    [InlineData("victim@googlemail.com", "victim@gmail.com")]
    [InlineData("v.ictim@example.com", "v.ictim@example.com")]
    public void TheMailboxKeyFoldsTagsAndGmailDots(string canonical, string mailbox) =>
        Assert.Equal(mailbox, EmailAddress.MailboxKey(canonical));
}

// Enough emails per mailbox that the wrong-code gate, not the email budget, is what a test meets.
public sealed class GenerousEmailBudget : ISettingsProfile
{
    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimits:EmailsPerAddressPerMinute"] = "20" };
}

public abstract class OneMailboxTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task ManySpellingsOfOneMailboxShareOneEmailBudgetAndAreMailedInCanonicalForm()
    {
        using var browser = factory.NewBrowser();
        var local = $"Victim-{Guid.NewGuid():N}";
        await browser.SendAsync($"{local}@Exämple.com.");
        await browser.SendAsync($"{local.ToLowerInvariant()}+news@xn--exmple-cua.com");

        var third = await browser.PostAsync(AuthApi.SendPath, new { email = $"{local.ToUpperInvariant()}@EXÄMPLE.COM" });

        await Expect.ProblemAsync(third, HttpStatusCode.TooManyRequests, "rate_limited");
        var canonical = $"{local.ToLowerInvariant()}@xn--exmple-cua.com";
        var first = await factory.Smtp.WaitForAsync(canonical);
        Assert.Equal([canonical], factory.Smtp.EnvelopeRecipients(first));
    }

    [Fact]
    public async Task TheSessionKeepsTheAddressAsTypedInCanonicalForm()
    {
        using var browser = factory.NewBrowser();
        var local = $"v.ictim{Guid.NewGuid():N}";
        await browser.SendAsync($"{local}@gmail.com");
        using var tagged = factory.NewBrowser();
        await tagged.SendAsync($"{local.ToUpperInvariant()}+1@Gmail.com");
        var mail = await LoginMail.ReceiveAsync(factory, $"{local}+1@gmail.com");

        var verified = await tagged.VerifyCodeAsync(mail.Code!);

        await Expect.StatusAsync(verified, HttpStatusCode.OK);
        Assert.Equal($"{local}+1@gmail.com", (await verified.Content.ReadFromJsonAsync<SessionResponse>())!.Email);
        // The gmail dots and the tag are folded for the budget only: a third email to this mailbox is refused.
        var third = await browser.PostAsync(AuthApi.SendPath, new { email = $"{local.Replace(".", "", StringComparison.Ordinal)}@googlemail.com" });
        await Expect.ProblemAsync(third, HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Theory]
    [InlineData("\"victim\"@example.com")]
    [InlineData("victim@[10.0.0.5]")]
    [InlineData("root@localhost")]
    public async Task SendRefusesAddressesThatAreNotOneMailbox(string email)
    {
        using var browser = factory.NewBrowser();
        await Expect.ProblemAsync(await browser.PostAsync(AuthApi.SendPath, new { email }), HttpStatusCode.BadRequest, "validation_failed");
    }
}

public sealed class OneMailboxTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : OneMailboxTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class OneMailboxTestsOnRedis(Bff<RedisStore, Defaults> factory) : OneMailboxTests<Bff<RedisStore, Defaults>>(factory);

public sealed class OneMailboxTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory)
    : OneMailboxTests<Bff<RedisClusterStore, Defaults>>(factory);

// SECURITY.md item 6: the wrong-code gate counts per mailbox, across its logins and spellings.
public abstract class OneMailboxGateTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task WrongCodesUnderEverySpellingMeetOneGate()
    {
        var local = $"gate-{Guid.NewGuid():N}";
        string[] spellings = [$"{local}+a@example.com", $"{local.ToUpperInvariant()}@EXAMPLE.com", $"{local}+b@example.com."];
        for (var i = 0; i < 2; i++)
        {
            using var guesser = factory.NewBrowser();
            await guesser.SendAsync(spellings[i]);
            var mail = await LoginMail.ReceiveAsync(factory, spellings[i].ToLowerInvariant());
            for (var guess = 0; guess < 5; guess++)
            {
                await guesser.VerifyCodeAsync(Codes.Other(mail.Code!));
            }
        }
        using var browser = factory.NewBrowser();
        await browser.SendAsync(spellings[2]);
        var last = await LoginMail.ReceiveAsync(factory, $"{local}+b@example.com");

        // Ten wrong codes for the mailbox: the next guess waits, even the right one under a third spelling.
        var gated = await browser.VerifyCodeAsync(last.Code!);

        var problem = await Expect.ProblemAsync(gated, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(problem.GetProperty("retryAfter").GetInt32() >= 1);
        Assert.NotNull(gated.Headers.RetryAfter);
    }
}

public sealed class OneMailboxGateTestsOnSqlite(Bff<SqliteStore, GenerousEmailBudget> factory) : OneMailboxGateTests<Bff<SqliteStore, GenerousEmailBudget>>(factory);
public sealed class OneMailboxGateTestsOnRedis(Bff<RedisStore, GenerousEmailBudget> factory) : OneMailboxGateTests<Bff<RedisStore, GenerousEmailBudget>>(factory);

public sealed class OneMailboxGateTestsOnRedisCluster(Bff<RedisClusterStore, GenerousEmailBudget> factory)
    : OneMailboxGateTests<Bff<RedisClusterStore, GenerousEmailBudget>>(factory);

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PasswordlessBff.Email;

namespace PasswordlessBff.Tests.Email;

// The default templates rendered with fixed values, compared with the files in Snapshots/.
// After a deliberate change: UPDATE_SNAPSHOTS=1 ./scripts/test.sh, then review the diff.
public sealed class EmailTemplateSnapshotTests
{
    private static readonly EmailTemplates Templates = new(
        Options.Create(new EmailOptions()), new SnapshotEnvironment());

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var template in EmailTemplates.Templates)
        {
            foreach (var locale in new[] { "en", "de", "fr", "es" })
            {
                cases.Add(template, locale);
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task TheDefaultTemplateRendersAsTheSnapshot(string template, string locale)
    {
        var rendered = await Templates.RenderAsync(new EmailModel(template, locale, "Acme & Co", "https://acme.example/logo.png",
            "help@acme.example", "ada@example.com", "https://bff.example/api/auth/verify?link_token=abc_DEF-123", "042917", 5, null));
        var actual = $"Subject: {rendered.Subject}\n\n--- text ---\n{rendered.Text}\n--- html ---\n{rendered.Html}";

        var path = Path.Combine(SnapshotFolder(), $"{template}.{locale}.txt");
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            await File.WriteAllTextAsync(path, actual);
        }
        Assert.True(File.Exists(path), $"No snapshot at {path}; run with UPDATE_SNAPSHOTS=1 once and review it.");
        Assert.Equal(await File.ReadAllTextAsync(path), actual);
    }

    [Fact]
    public async Task BothPartsCarryTheLinkTheCodeAndTheExpiryInEveryLanguage()
    {
        foreach (var locale in new[] { "en", "de", "fr", "es" })
        {
            var rendered = await Templates.RenderAsync(new EmailModel("signin", locale, "Acme", null, null, "ada@example.com",
                "https://bff.example/api/auth/verify?link_token=abc", "123456", 1, null));
            Assert.Contains("https://bff.example/api/auth/verify?link_token=abc", rendered.Text, StringComparison.Ordinal);
            Assert.Contains("https://bff.example/api/auth/verify?link_token=abc", rendered.Html, StringComparison.Ordinal);
            Assert.Contains("123456", rendered.Text, StringComparison.Ordinal);
            Assert.Contains("123456", rendered.Html, StringComparison.Ordinal);
            Assert.Matches(@"\b1 (minute|Minute|minuto)\b", rendered.Text);
        }
    }

    [Fact]
    public async Task ValuesAreHtmlEncodedInTheHtmlPartOnly()
    {
        var rendered = await Templates.RenderAsync(new EmailModel("signin", "en", "<b>Acme</b>", null, null, "ada@example.com", null, "123456", 5, null));
        Assert.Contains("&lt;b&gt;Acme&lt;/b&gt;", rendered.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Acme</b>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("<b>Acme</b>", rendered.Text, StringComparison.Ordinal);
    }

    private static string SnapshotFolder([System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Snapshots");

    private sealed class SnapshotEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";
        public string ApplicationName { get; set; } = "PasswordlessBff";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}

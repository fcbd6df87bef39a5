using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Values;
using Microsoft.Extensions.Options;

namespace PasswordlessBff.Email;

public sealed record RenderedEmail(string Subject, string Text, string Html);

// Liquid templates (subject, text, HTML per template) and per-language strings, all parsed at start-up so a broken
// template stops the service instead of a send.
public sealed partial class EmailTemplates
{
    public const string DefaultLocale = "en";
    public static readonly string[] Templates = ["signin", "signup"];
    private static readonly string[] Parts = ["subject", "text", "html"];
    private static readonly FluidParser Parser = new();

    // Encodes markup characters but leaves letters such as ü or ñ readable in the HTML source.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    private readonly Dictionary<string, IFluidTemplate> _templates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LocaleStrings> _locales = new(StringComparer.OrdinalIgnoreCase);
    private readonly TemplateOptions _options = new();

    public EmailTemplates(IOptions<EmailOptions> options, IHostEnvironment environment)
    {
        var builtIn = Path.Combine(AppContext.BaseDirectory, "Email", "Templates");
        var custom = string.IsNullOrWhiteSpace(options.Value.TemplatesPath)
            ? null
            : Path.GetFullPath(options.Value.TemplatesPath, environment.ContentRootPath);
        if (custom is not null && !Directory.Exists(custom))
        {
            throw new InvalidOperationException($"Email__TemplatesPath '{custom}' does not exist; create it or unset the setting.");
        }
        foreach (var template in Templates)
        {
            foreach (var part in Parts)
            {
                var file = $"{template}.{part}.liquid";
                _templates[file] = Parse(Pick(custom, builtIn, file));
            }
        }
        foreach (var path in LocaleFiles(builtIn).Concat(custom is null ? [] : LocaleFiles(custom)))
        {
            // A custom folder's language file replaces the built-in one string by string.
            var locale = Path.GetFileNameWithoutExtension(path);
            var strings = LocaleStrings.Load(path, Parse);
            _locales[locale] = _locales.TryGetValue(locale, out var existing) ? existing.OverriddenBy(strings) : strings;
        }
        if (!_locales.ContainsKey(DefaultLocale))
        {
            throw new InvalidOperationException($"Email templates: no '{DefaultLocale}.json' language file in {builtIn}.");
        }
    }

    public IReadOnlyCollection<string> Locales => _locales.Keys;

    // The first supported language among the candidates (primary subtag match), else English.
    public string Negotiate(IEnumerable<string?> candidates)
    {
        foreach (var candidate in candidates)
        {
            if (string.IsNullOrWhiteSpace(candidate))
            {
                continue;
            }
            var primary = candidate.Split('-', '_')[0];
            if (_locales.ContainsKey(primary))
            {
                return primary.ToLowerInvariant();
            }
        }
        return DefaultLocale;
    }

    public async Task<RenderedEmail> RenderAsync(EmailModel model)
    {
        var locale = _locales.TryGetValue(model.Locale, out var found) ? found : _locales[DefaultLocale];
        var fallback = _locales[DefaultLocale];
        var context = model.ToContext(_options, locale.Word(model.ExpiresInMinutes == 1 ? "minute" : "minutes", fallback));
        var strings = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in fallback.Keys(model.Template))
        {
            var value = locale.Template(model.Template, key) ?? fallback.Template(model.Template, key)!;
            strings[key] = await value.RenderAsync(context, NullEncoder.Default);
        }
        context.SetValue("t", strings);
        var subject = await _templates[$"{model.Template}.subject.liquid"].RenderAsync(context, NullEncoder.Default);
        var text = await _templates[$"{model.Template}.text.liquid"].RenderAsync(context, NullEncoder.Default);
        var html = await _templates[$"{model.Template}.html.liquid"].RenderAsync(context, Html);
        return new RenderedEmail(OneLine(subject), TidyText(text), html);
    }

    private static string Pick(string? custom, string builtIn, string file) =>
        custom is not null && File.Exists(Path.Combine(custom, file)) ? Path.Combine(custom, file) : Path.Combine(builtIn, file);

    private static IEnumerable<string> LocaleFiles(string folder)
    {
        var locales = Path.Combine(folder, "locales");
        return Directory.Exists(locales) ? Directory.GetFiles(locales, "*.json").Order(StringComparer.Ordinal) : [];
    }

    internal static IFluidTemplate Parse(string path) => Parse(File.ReadAllText(path), path);

    internal static IFluidTemplate Parse(string source, string origin) =>
        Parser.TryParse(source, out var template, out var error)
            ? template
            : throw new InvalidOperationException($"Email template {origin} does not parse: {error}");

    private static string OneLine(string value) => Whitespace().Replace(value, " ").Trim();

    // Liquid tags leave blank lines behind; a plain-text email reads better without runs of them.
    private static string TidyText(string value) =>
        BlankLines().Replace(value.Replace("\r\n", "\n", StringComparison.Ordinal), "\n\n").Trim() + "\n";

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\n[ \t]*(\n[ \t]*){2,}")]
    private static partial Regex BlankLines();

    private sealed class LocaleStrings(Dictionary<string, string> words, Dictionary<string, Dictionary<string, IFluidTemplate>> templates)
    {
        private Dictionary<string, string> Words { get; } = words;

        private Dictionary<string, Dictionary<string, IFluidTemplate>> Strings { get; } = templates;

        public static LocaleStrings Load(string path, Func<string, string, IFluidTemplate> parse)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var words = new Dictionary<string, string>(StringComparer.Ordinal);
            var templates = new Dictionary<string, Dictionary<string, IFluidTemplate>>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    words[property.Name] = property.Value.GetString()!;
                }
                else if (property.Value.ValueKind == JsonValueKind.Object)
                {
                    templates[property.Name] = property.Value.EnumerateObject().ToDictionary(
                        s => s.Name, s => parse(s.Value.GetString() ?? "", $"{path} ({property.Name}.{s.Name})"), StringComparer.Ordinal);
                }
            }
            return new LocaleStrings(words, templates);
        }

        public string[] Keys(string template) => Strings.TryGetValue(template, out var strings) ? [.. strings.Keys] : [];

        public IFluidTemplate? Template(string template, string key) =>
            Strings.TryGetValue(template, out var strings) && strings.TryGetValue(key, out var value) ? value : null;

        public string Word(string key, LocaleStrings fallback) =>
            Words.TryGetValue(key, out var word) ? word : fallback.Words.GetValueOrDefault(key, key);

        public LocaleStrings OverriddenBy(LocaleStrings other)
        {
            var mergedWords = new Dictionary<string, string>(Words, StringComparer.Ordinal);
            foreach (var (key, value) in other.Words)
            {
                mergedWords[key] = value;
            }
            var merged = Strings.ToDictionary(t => t.Key, t => new Dictionary<string, IFluidTemplate>(t.Value, StringComparer.Ordinal), StringComparer.Ordinal);
            foreach (var (template, strings) in other.Strings)
            {
                var target = merged.TryGetValue(template, out var existing) ? existing : merged[template] = new(StringComparer.Ordinal);
                foreach (var (key, value) in strings)
                {
                    target[key] = value;
                }
            }
            return new LocaleStrings(mergedWords, merged);
        }
    }
}

// The variables a template sees, named as Scalekit's templates name them, plus the caller's templateVariables.
public sealed record EmailModel(
    string Template,
    string Locale,
    string AppName,
    string? AppLogoUrl,
    string? SupportEmail,
    string UserEmail,
    string? Link,
    string? Otp,
    int ExpiresInMinutes,
    IReadOnlyDictionary<string, string>? TemplateVariables)
{
    public static readonly string[] ReservedNames =
        ["app_name", "app_logo_url", "app_support_email", "user_email", "link", "otp", "expiry_time_relative", "locale", "t", "template_variables"];

    internal TemplateContext ToContext(TemplateOptions options, string minutesWord)
    {
        var context = new TemplateContext(options) { CultureInfo = CultureInfo.InvariantCulture };
        foreach (var (key, value) in TemplateVariables ?? new Dictionary<string, string>())
        {
            context.SetValue(key, value);
        }
        context.SetValue("template_variables", TemplateVariables?.ToDictionary(p => p.Key, p => (object?)p.Value) ?? []);
        // Liquid treats "" as true, so a missing value must be nil for {% if %} to skip its block.
        foreach (var (name, value) in new (string, string?)[]
        {
            ("app_name", AppName), ("app_logo_url", AppLogoUrl), ("app_support_email", SupportEmail), ("user_email", UserEmail),
            ("link", Link), ("otp", Otp), ("locale", Locale),
        })
        {
            context.SetValue(name, string.IsNullOrEmpty(value) ? NilValue.Instance : new StringValue(value));
        }
        context.SetValue("expiry_time_relative", $"{ExpiresInMinutes.ToString(CultureInfo.InvariantCulture)} {minutesWord}");
        return context;
    }
}

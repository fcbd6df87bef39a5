namespace PasswordlessBff.Ui;

public sealed class UiOptions
{
    public const string SectionName = "Ui";

    // Off when an SPA brings its own sign-in page.
    public bool Enabled { get; set; } = true;

    // A proxied route the signed-in view offers to call (docs/PROXY.md), e.g. /api/orders; none: no such button.
    public string? ExampleApiPath { get; set; }
}

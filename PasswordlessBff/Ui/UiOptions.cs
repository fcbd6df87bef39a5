namespace PasswordlessBff.Ui;

public sealed class UiOptions
{
    public const string SectionName = "Ui";

    // Off when an SPA brings its own sign-in page.
    public bool Enabled { get; set; } = true;
}

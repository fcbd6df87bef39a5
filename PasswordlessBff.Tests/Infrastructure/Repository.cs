namespace PasswordlessBff.Tests.Infrastructure;

// The checkout the tests run from: the folder holding PasswordlessBff.sln.
public static class Repository
{
    private static readonly Lazy<string> FoundRoot = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PasswordlessBff.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No PasswordlessBff.sln above {AppContext.BaseDirectory}.");
    });

    public static string Root => FoundRoot.Value;
}

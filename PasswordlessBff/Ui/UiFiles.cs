using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace PasswordlessBff.Ui;

// What of wwwroot the static-file middleware may serve: never the dev mailbox's files (its own loopback-only routes
// serve them), and with the UI off not the sign-in page, while the confirmation page's scripts and styles stay.
internal sealed class UiFiles(IFileProvider webRoot, bool signInPage) : IFileProvider
{
    public IFileInfo GetFileInfo(string subpath) => IsServed(subpath) ? webRoot.GetFileInfo(subpath) : new NotFoundFileInfo(subpath);

    public IDirectoryContents GetDirectoryContents(string subpath) =>
        IsServed(subpath) ? webRoot.GetDirectoryContents(subpath) : NotFoundDirectoryContents.Singleton;

    public IChangeToken Watch(string filter) => webRoot.Watch(filter);

    private bool IsServed(string subpath)
    {
        var path = subpath.TrimStart('/');
        return !path.StartsWith("dev", StringComparison.OrdinalIgnoreCase)
            && (signInPage || !path.Equals("index.html", StringComparison.OrdinalIgnoreCase));
    }
}

using Microsoft.AspNetCore.Mvc.Testing;

namespace PasswordlessBff.Tests.Infrastructure;

public static class StartupFailure
{
    // The text of the error that stopped a host from starting. Under load, WebApplicationFactory has been seen to
    // report such a host as ObjectDisposedException instead (the app's own thread disposed it first): try afresh then.
    public static async Task<string> OfAsync(Func<WebApplicationFactory<Program>> create)
    {
        for (var attempt = 1; ; attempt++)
        {
            var factory = create();
            await using (factory)
            {
                try
                {
                    _ = factory.Server;
                }
                catch (ObjectDisposedException) when (attempt < 10)
                {
                    continue;
                }
                catch (Exception error)
                {
                    return error.ToString();
                }
            }
            Assert.Fail("The host started, but it should have refused to.");
        }
    }
}

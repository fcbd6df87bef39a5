using System.Diagnostics;
using System.Net;

namespace PasswordlessBff.Tests.Infrastructure;

// For what happens between processes (pub/sub, reconnects): ask again, a bounded number of times, never a fixed sleep.
public static class Eventually
{
    public static async Task<HttpResponseMessage> StatusAsync(Func<Task<HttpResponseMessage>> request, HttpStatusCode status, TimeSpan within)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var response = await request();
            if (response.StatusCode == status)
            {
                return response;
            }
            if (elapsed.Elapsed >= within)
            {
                await Expect.StatusAsync(response, status);
            }
            await Task.Delay(20);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(elapsed.Elapsed < within, $"not within {within}: {what}");
            await Task.Delay(20);
        }
    }
}

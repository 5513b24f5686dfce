namespace EmotionApi.Tests.Infrastructure;

public static class StartupFailures
{
    /// <summary>
    /// The exception (innermost) that keeps <paramref name="host"/> from starting. WebApplicationFactory races with a
    /// start that fails: it may ask the host, already disposed by then, for its server and throw ObjectDisposedException
    /// in place of the start's own exception (dotnet/aspnetcore#33494; seen here under load). Such a try is made again
    /// on a new host with the same settings.
    /// </summary>
    public static TException StartFailure<TException>(this EmotionApiFactory host) where TException : Exception
    {
        var current = host;
        for (var attempt = 1; ; attempt++)
        {
            var error = Assert.ThrowsAny<Exception>(() => current.CreateClient()).GetBaseException();
            if (!ReferenceEquals(current, host)) current.Dispose();
            if (error is not ObjectDisposedException || attempt == 3) return Assert.IsAssignableFrom<TException>(error);
            current = new EmotionApiFactory { Settings = host.Settings, Environment = host.Environment, LogCapture = host.LogCapture };
        }
    }
}

using Microsoft.Playwright;

namespace EmotionApi.BrowserTests;

/// <summary>
/// Debian's chromium, driven by Playwright (its own browser download does not work here; `.ci/chromium.sh` installs the
/// package). Without it the browser tests are skipped and say why; under CI (CI=true) they fail instead.
/// </summary>
internal static class Chromium
{
    /// <summary>EMOTIONAPI_CHROMIUM names another executable; else Debian's.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("EMOTIONAPI_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Returns when chromium is there; otherwise skips the calling [Fact], or fails it under CI.</summary>
    public static void RequireOrSkip()
    {
        if (File.Exists(ExecutablePath)) return;
        var message = $"No chromium at {ExecutablePath}: install it with `bash .ci/chromium.sh` (Debian's chromium package) to run the browser tests.";
        if (IsCi) Assert.Fail($"CI=true: the browser tests must run, but {message}");
        Assert.Skip(message);
    }

    /// <summary>Headless, without the sandbox (CI runs as root), GPU or any traffic of its own (the network here is loopback only).</summary>
    public static BrowserTypeLaunchOptions LaunchOptions => new()
    {
        ExecutablePath = ExecutablePath,
        Headless = true,
        Args =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-default-apps", "--disable-extensions", "--disable-sync", "--no-first-run",
            "--metrics-recording-only", "--mute-audio",
        ],
    };
}

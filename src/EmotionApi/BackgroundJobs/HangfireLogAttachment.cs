namespace EmotionApi.BackgroundJobs;

/// <summary>This host's place in <see cref="HangfireLogBridge"/>, released when the host's services are disposed.</summary>
public sealed class HangfireLogAttachment(ILoggerFactory factory) : IDisposable
{
    private readonly IDisposable attachment = HangfireLogBridge.Instance.Attach(factory);

    public void Dispose() => attachment.Dispose();
}

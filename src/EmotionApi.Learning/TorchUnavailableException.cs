namespace EmotionApi.Learning;

/// <summary>The native torch runtime does not load; the message gives the reason in one line (<see cref="TorchRuntime.Problem"/>).</summary>
public sealed class TorchUnavailableException(string message) : Exception(message);

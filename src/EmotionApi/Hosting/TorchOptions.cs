using System.ComponentModel.DataAnnotations;

namespace EmotionApi.Hosting;

/// <summary>Configuration section "Torch": torch's process-wide settings.</summary>
public sealed class TorchOptions
{
    public const string Section = "Torch";

    /// <summary>torch's intra-op threads; unset means the CPUs this process may use (a container's CPU quota honoured).</summary>
    [Range(1, 1024, ErrorMessage = "Torch:Threads (environment variable Torch__Threads) must be {1} to {2} threads, " +
                                   "or unset for the CPUs this process may use.")]
    public int? Threads { get; set; }
}

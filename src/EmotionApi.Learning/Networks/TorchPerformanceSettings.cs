namespace EmotionApi.Learning.Networks;

/// <summary>What <see cref="TorchPerformance.Configure"/> left in effect.</summary>
/// <param name="Threads">torch's intra-op threads.</param>
/// <param name="WaitPolicy">OpenMP's OMP_WAIT_POLICY as libtorch's OpenMP runtime read it at load ("default" when unset).</param>
/// <param name="WaitPolicyApplied">False when torch was loaded before the call, so the policy could no longer be set.</param>
public sealed record TorchPerformanceSettings(int Threads, string WaitPolicy, bool WaitPolicyApplied);

namespace EmotionApi.Learning.Training;

/// <summary>
/// Seeds derived from the run's seed for each epoch, so that epoch e draws the same numbers whether
/// the run went straight through or resumed from a checkpoint. Stable across processes and machines
/// (SplitMix64, not <see cref="HashCode"/>, which is randomised per process).
/// </summary>
internal static class RunSeeds
{
    private const ulong ShuffleStream = 0x5348_5546_464C_4531; // shuffles and augmentation draws
    private const ulong TorchStream = 0x544F_5243_4844_524F;   // dropout and other torch draws

    /// <summary>Seed of the <see cref="Random"/> that shuffles and augments epoch <paramref name="epoch"/>.</summary>
    public static int Shuffle(int seed, int epoch) => Derive(seed, epoch, ShuffleStream);

    /// <summary>Seed given to torch.manual_seed at the start of epoch <paramref name="epoch"/>.</summary>
    public static long Torch(int seed, int epoch) => Derive(seed, epoch, TorchStream);

    private static int Derive(int seed, int epoch, ulong stream)
    {
        var state = ((ulong)(uint)seed << 32 | (uint)epoch) ^ stream;
        // SplitMix64 finaliser: every input bit affects every output bit.
        state += 0x9E37_79B9_7F4A_7C15;
        state = (state ^ (state >> 30)) * 0xBF58_476D_1CE4_E5B9;
        state = (state ^ (state >> 27)) * 0x94D0_49BB_1331_11EB;
        state ^= state >> 31;
        return (int)(state & int.MaxValue);
    }
}

namespace EmotionApi.Learning.Tests.Training;

/// <summary>
/// Tests that seed torch and compare runs: torch.manual_seed is one process-wide generator, so they run
/// alone, after the parallel tests, never beside another test that draws from it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchTrainingCollection
{
    public const string Name = "Seeded torch training";
}

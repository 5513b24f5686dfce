using EmotionApi.Learning.Training;

namespace EmotionApi.Training;

/// <summary>What a training job can start from: the presets with their full settings, and the networks they can use.</summary>
/// <param name="DefaultPreset">The preset a job without one gets.</param>
/// <param name="Presets">Every preset, by name, with the settings a job gets before its overrides.</param>
/// <param name="Networks">Every network with the input sides (height and width alike) it accepts.</param>
public sealed record PresetCatalogView(string DefaultPreset, IReadOnlyList<PresetView> Presets, IReadOnlyList<NetworkView> Networks);

public sealed record PresetView(string Name, TrainingSettings Settings);

/// <param name="Name">The network's name, as settings name it.</param>
/// <param name="MinSide">The smallest image height or width it accepts, in pixels.</param>
/// <param name="MaxSide">The largest.</param>
public sealed record NetworkView(string Name, int MinSide, int MaxSide);

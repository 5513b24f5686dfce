using EmotionApi.Tests.Infrastructure;

namespace EmotionApi.Tests.Datasets;

/// <summary>A host of its own (own data folder, no start-up sample) with small limits, so limits can be crossed cheaply.</summary>
public sealed class SmallLimitsFactory : EmotionApiFactory
{
    public const int MaxUploadMegabytes = 12, MaxEntries = 40, MaxUncompressedMegabytes = 8, MaxImageMegabytes = 4, MaxCompressionRatio = 20;

    public SmallLimitsFactory()
    {
        Settings = new Dictionary<string, string?>
        {
            ["Datasets:Sample:CreateOnStartup"] = "false",
            ["Datasets:MaxUploadMegabytes"] = $"{MaxUploadMegabytes}",
            ["Datasets:MaxEntries"] = $"{MaxEntries}",
            ["Datasets:MaxUncompressedMegabytes"] = $"{MaxUncompressedMegabytes}",
            ["Datasets:MaxImageMegabytes"] = $"{MaxImageMegabytes}",
            ["Datasets:MaxCompressionRatio"] = $"{MaxCompressionRatio}",
        };
    }
}

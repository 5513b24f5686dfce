using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmotionApi.Client;

/// <summary>What the generated client needs beyond the document: the service's JSON conventions.</summary>
public partial class EmotionApiClient
{
    /// <summary>The ROC curve's first threshold is +Infinity, sent as the string "Infinity" (JSON has no infinity).</summary>
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) =>
        settings.NumberHandling |= JsonNumberHandling.AllowNamedFloatingPointLiterals;
}

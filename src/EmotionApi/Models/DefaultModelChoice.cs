namespace EmotionApi.Models;

/// <summary>A user's choice of the model that answers /api/predict when a request names none: <c>models/default.json</c>.</summary>
public sealed record DefaultModelChoice(string ModelId, DateTimeOffset ChosenAt);

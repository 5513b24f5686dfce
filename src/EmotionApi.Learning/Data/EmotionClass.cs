namespace EmotionApi.Learning.Data;

/// <summary>The two classes, with the article's indices (Keras sorts folder names: Negative = 0, Positive = 1).</summary>
public enum EmotionClass
{
    Negative = 0,
    Positive = 1,
}

using System.ComponentModel.DataAnnotations;

namespace EmotionApi.Prediction;

/// <summary>Configuration section "Prediction".</summary>
public sealed class PredictionOptions
{
    public const string Section = "Prediction";

    /// <summary>Images per /api/predict request.</summary>
    [Range(1, 1024)]
    public int MaxFiles { get; set; } = 64;

    /// <summary>Bytes of one image file; a larger file fails with its own error.</summary>
    [Range(1, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Bytes of a whole /api/predict request; a larger one is refused before it is read.</summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Seconds one /api/predict request may take from its arrival: past it the prediction stops at its next image and the
    /// request is answered 503 (a request whose upload alone took longer is answered 503 without any work).
    /// </summary>
    [Range(0.1, 3_600)]
    public double TimeoutSeconds { get; set; } = 30;
}

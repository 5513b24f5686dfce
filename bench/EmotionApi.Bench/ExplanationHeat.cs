using EmotionApi.Learning.Data;
using EmotionApi.Learning.Explanations;
using EmotionApi.Learning.Training;

namespace EmotionApi.Bench;

/// <summary>
/// Which explanation method points at the evidence (docs/explanations.md): models trained on synthetic faces at three input
/// sizes, each explained by Grad-CAM and by occlusion on 40 unseen faces; the mean heat on the mouths against the bare
/// backgrounds. Sets ModelExplainer.MinGradCamSide.
/// </summary>
internal static class ExplanationHeat
{
    private static readonly SyntheticFacesOptions Unseen = new() { Count = 40, Seed = 4242, Width = 64, Height = 64 };

    public static void Run(BenchContext context)
    {
        var count = context.Options.Images ?? 240;
        var directory = Directory.CreateTempSubdirectory("bench-explanations-").FullName;
        try
        {
            // The library tests' training data: faces of seed 4 at 64x64.
            var images = GeneratedFaceFiles.Write(directory, new SyntheticFacesOptions { Count = count, Seed = 4 });
            Console.WriteLine($"  trained on {count} faces (seed 4, 64x64); explained on {Unseen.Count} unseen faces (seed {Unseen.Seed})");
            Console.WriteLine("  | model | input | test AUC | last convolution map | Grad-CAM: mouth / background | faces | occlusion: mouth / background | faces |");
            Console.WriteLine("  | --- | --- | ---: | --- | ---: | ---: | ---: | ---: |");
            foreach (var (preset, side) in new[] { (TrainingPresets.Tiny, 32), (TrainingPresets.Tiny, 64), (TrainingPresets.Compact, 96) })
            {
                var outcome = new TrainingPipeline().Run(images, TrainingPresets.Get(preset) with { ImageHeight = side, ImageWidth = side });
                using var model = outcome.Model;
                var gradCam = MouthHeatRatio.Measure(model, Unseen, ExplanationMethod.GradCam);
                var occlusion = MouthHeatRatio.Measure(model, Unseen, ExplanationMethod.Occlusion);
                var map = ModelExplainer.Explain(model, new(model.InputSize, new byte[side * side * 3]), 0.5, ExplanationMethod.GradCam);
                Console.WriteLine($"  | {preset} | {side}x{side} | {outcome.Test.RocAuc:F3} | {map.FeatureHeight}x{map.FeatureWidth} | {gradCam.Ratio:F2} | " +
                                  $"{gradCam.MouthHotter} of {gradCam.Faces} | {occlusion.Ratio:F2} | {occlusion.MouthHotter} of {occlusion.Faces} |");
                context.Summarise($"explanations, {preset} at {side}: Grad-CAM {gradCam.Ratio:F2}, occlusion {occlusion.Ratio:F2} (mouth / background heat)");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

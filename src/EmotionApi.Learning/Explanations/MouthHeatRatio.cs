using EmotionApi.Learning.Data;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;

namespace EmotionApi.Learning.Explanations;

/// <summary>
/// How well explanations point at the evidence, measured on synthetic faces, whose only evidence is the curve of the mouth:
/// the mean heat over the mouths' pixels against the mean over the bare backgrounds' (<see cref="SyntheticFaces.Regions"/>).
/// For the tests and the benchmark (docs/explanations.md).
/// </summary>
internal static class MouthHeatRatio
{
    /// <param name="Ratio">Mean heat on mouth pixels over mean heat on background pixels, all faces pooled.</param>
    /// <param name="MouthHotter">Faces whose mouth is hotter on average than their background.</param>
    /// <param name="Faces">Faces with both a visible mouth and some bare background.</param>
    /// <param name="Method">The method used (the explainer's choice when none was asked for).</param>
    public sealed record Result(double Ratio, int MouthHotter, int Faces, ExplanationMethod Method);

    public static Result Measure(TrainedModel model, SyntheticFacesOptions faces, ExplanationMethod? method = null)
    {
        double mouthHeat = 0, backgroundHeat = 0;
        int mouthPixels = 0, backgroundPixels = 0, mouthHotter = 0, counted = 0;
        var used = method ?? ExplanationMethod.GradCam;
        var negatives = faces.Count - SyntheticFaces.PositiveCount(faces);
        foreach (var (face, index) in SyntheticFaces.Generate(faces).Select((face, index) => (face, index)))
        {
            var number = face.Label == EmotionClass.Negative ? index + 1 : index - negatives + 1;
            var explanation = ModelExplainer.Explain(model, ImageCodec.Prepare(face.Png, model.InputSize, ImageLimits.Default), model.Manifest.Threshold, method);
            used = explanation.Method;
            var (mouth, background) = SyntheticFaces.Regions(faces, face.Label, number);
            double imageMouth = 0, imageBackground = 0;
            int imageMouthPixels = 0, imageBackgroundPixels = 0;
            for (var pixel = 0; pixel < mouth.Length; pixel++)
            {
                // The pixel's place at the model's input size.
                var heat = explanation.At(pixel / faces.Width * explanation.Height / faces.Height, pixel % faces.Width * explanation.Width / faces.Width);
                if (mouth[pixel]) { imageMouth += heat; imageMouthPixels++; }
                else if (background[pixel]) { imageBackground += heat; imageBackgroundPixels++; }
            }
            mouthHeat += imageMouth;
            mouthPixels += imageMouthPixels;
            backgroundHeat += imageBackground;
            backgroundPixels += imageBackgroundPixels;
            if (imageMouthPixels == 0 || imageBackgroundPixels == 0) continue;
            counted++;
            if (imageMouth / imageMouthPixels > imageBackground / imageBackgroundPixels) mouthHotter++;
        }
        return new Result(mouthHeat / mouthPixels / (backgroundHeat / backgroundPixels), mouthHotter, counted, used);
    }
}

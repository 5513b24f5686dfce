using EmotionApi.Learning.Augmentation;

namespace EmotionApi.Learning.Tests.Augmentation;

/// <summary>
/// keras_preprocessing's apply_affine_transform written out pixel by pixel, independently of the augmenter:
/// 3x3 matrices rotation . shift . shear . zoom in (row, column) pixels, offset to the centre, scipy's
/// affine_transform (output pixel o samples input M o) with order 1 and mode "nearest", then the flip.
/// One change from Keras: the centre is ((h - 1) / 2, (w - 1) / 2), not (h / 2 + 0.5, w / 2 + 0.5).
/// </summary>
internal static class KerasReference
{
    public static float[] Transform(float[] chw, int height, int width, AffineDraw draw)
    {
        var theta = draw.RotationDegrees * Math.PI / 180;
        var shear = draw.ShearDegrees * Math.PI / 180;
        double[,] rotation = { { Math.Cos(theta), -Math.Sin(theta), 0 }, { Math.Sin(theta), Math.Cos(theta), 0 }, { 0, 0, 1 } };
        double[,] shift = { { 1, 0, draw.ShiftRows }, { 0, 1, draw.ShiftColumns }, { 0, 0, 1 } };
        double[,] shearing = { { 1, -Math.Sin(shear), 0 }, { 0, Math.Cos(shear), 0 }, { 0, 0, 1 } };
        double[,] zoom = { { draw.ZoomRows, 0, 0 }, { 0, draw.ZoomColumns, 0 }, { 0, 0, 1 } };
        var (centreRow, centreColumn) = ((height - 1) / 2.0, (width - 1) / 2.0);
        double[,] toCentre = { { 1, 0, centreRow }, { 0, 1, centreColumn }, { 0, 0, 1 } };
        double[,] fromCentre = { { 1, 0, -centreRow }, { 0, 1, -centreColumn }, { 0, 0, 1 } };
        var m = Multiply(toCentre, Multiply(rotation, Multiply(shift, Multiply(shearing, Multiply(zoom, fromCentre)))));

        var output = new float[chw.Length];
        for (var channel = 0; channel < 3; channel++)
        for (var row = 0; row < height; row++)
        for (var column = 0; column < width; column++)
        {
            // Keras flips the transformed image: output column c holds transformed column w - 1 - c.
            var sourceColumn = draw.FlipHorizontal ? width - 1 - column : column;
            var inRow = m[0, 0] * row + m[0, 1] * sourceColumn + m[0, 2];
            var inColumn = m[1, 0] * row + m[1, 1] * sourceColumn + m[1, 2];
            output[(channel * height + row) * width + column] = Bilinear(chw, channel, height, width, inRow, inColumn);
        }
        return output;
    }

    // Order-1 interpolation with edge pixels repeated outside ("nearest" fill).
    private static float Bilinear(float[] chw, int channel, int height, int width, double row, double column)
    {
        row = Math.Clamp(row, 0, height - 1);
        column = Math.Clamp(column, 0, width - 1);
        var (r0, c0) = ((int)Math.Floor(row), (int)Math.Floor(column));
        var (r1, c1) = (Math.Min(r0 + 1, height - 1), Math.Min(c0 + 1, width - 1));
        var (fr, fc) = (row - r0, column - c0);
        double At(int r, int c) => chw[(channel * height + r) * width + c];
        return (float)((1 - fr) * ((1 - fc) * At(r0, c0) + fc * At(r0, c1)) + fr * ((1 - fc) * At(r1, c0) + fc * At(r1, c1)));
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var product = new double[3, 3];
        for (var i = 0; i < 3; i++)
        for (var j = 0; j < 3; j++)
        for (var k = 0; k < 3; k++)
            product[i, j] += a[i, k] * b[k, j];
        return product;
    }
}

namespace EmotionApi.Learning.Data;

/// <summary>
/// One shape of a synthetic face: a geometry in its own rotated frame, filled with a colour. Together they make a
/// small signed-distance rasteriser (ImageSharp.Drawing does not restore here): a pixel's coverage is its signed
/// distance to the outline, clamped to [0, 1] over one pixel, which anti-aliases the edges.
/// </summary>
/// <param name="Opacity">How much of what lies beneath a fully covered pixel the shape replaces (1: all of it).</param>
/// <param name="Shading">Lights the colour as a rounded surface (the styled faces' shaded style); null paints it flat.</param>
internal sealed record Shape(Frame Frame, Geometry Geometry, Colour Colour, float Opacity = 1, Shading? Shading = null);

namespace EmotionApi.Learning.Data;

/// <summary>
/// One shape of a synthetic face: a geometry in its own rotated frame, filled with a colour. Together they make a
/// small signed-distance rasteriser (ImageSharp.Drawing does not restore here): a pixel's coverage is its signed
/// distance to the outline, clamped to [0, 1] over one pixel, which anti-aliases the edges.
/// </summary>
internal sealed record Shape(Frame Frame, Geometry Geometry, Colour Colour);

namespace EmotionApi.Learning.Data;

/// <summary>How a styled face is drawn (<see cref="StyledFaces"/>): the benchmark trains on some styles and tests on others.</summary>
public enum FaceStyle
{
    /// <summary>Filled face, dot eyes, a stroked mouth: the sample dataset's look.</summary>
    Flat,
    /// <summary>Ink outlines on paper: ring or dot eyes, hair and ears as strokes, a thin mouth.</summary>
    LineArt,
    /// <summary>A lit, rounded face with blush, eyes with iris and highlight, coloured lips.</summary>
    Shaded,
    /// <summary>A yellow disc with a bold outline, tall eyes and a filled open mouth, sometimes with teeth.</summary>
    Emoji,
    /// <summary>Graphite on paper: doubled, jittered strokes and hatching.</summary>
    Sketch,
    /// <summary>Glowing strokes on a dark ground, stretched proportions.</summary>
    Neon,
}

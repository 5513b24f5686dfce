namespace EmotionApi.Learning.Data;

/// <summary>
/// One cartoon face picture as a list of shapes, sampled from a seeded <see cref="Random"/>:
/// background (solid or gradient), distractor shapes, then the face (skin-ish or any colour,
/// optional outline, eyes, optional eyebrows and nose, and a mouth arc whose curvature sign is the
/// class), rotated as a whole, and grey pixel noise. Lengths are in pixels, drawn in proportion
/// to the image's shorter side.
/// </summary>
internal sealed class FaceScene
{
    // Whole-face rotation up to 25 degrees either way, drawn as a slope: tan(25 degrees).
    private const float MaxRotationSlope = 0.4663077f;

    // Grain cells per shorter side: per-pixel noise up to 128 pixels, coarser above, so the grain a
    // network sees after resizing is alike at every picture size (per-pixel noise on a 500x400
    // picture averages away at 64x64, and costs its PNG encoding most of its speed).
    private const float NoiseCellsPerSide = 128;

    private readonly Colour _backgroundFrom;
    private readonly Colour _backgroundTo;
    private readonly float _gradientX;
    private readonly float _gradientY;
    private readonly List<Shape> _shapes = [];
    private readonly float _noiseAmplitude;
    private readonly int _noiseCellSize;
    private readonly uint _noiseSeed;

    private FaceScene(Colour backgroundFrom, Colour backgroundTo, float gradientX, float gradientY, float noiseAmplitude, int noiseCellSize, uint noiseSeed)
    {
        _backgroundFrom = backgroundFrom;
        _backgroundTo = backgroundTo;
        _gradientX = gradientX;
        _gradientY = gradientY;
        _noiseAmplitude = noiseAmplitude;
        _noiseCellSize = noiseCellSize;
        _noiseSeed = noiseSeed;
    }

    /// <summary>Draws every random choice of one picture, in a fixed order.</summary>
    public static FaceScene Sample(Random random, RgbCanvas canvas, bool smiling)
    {
        float width = canvas.Width, height = canvas.Height, side = Math.Min(width, height);

        var from = RandomColour(random);
        var to = random.NextDouble() < 0.6 ? RandomColour(random) : from;
        var (gradientX, gradientY) = RandomDirection(random);
        var scene = new FaceScene(from, to, gradientX, gradientY,
            noiseAmplitude: Uniform(random, 0, 16), noiseCellSize: Math.Max(1, (int)(side / NoiseCellsPerSide + 0.5f)),
            noiseSeed: (uint)random.Next() | 1u);

        // Distractors first: the face covers those it overlaps.
        var distractors = random.Next(0, 4);
        for (var i = 0; i < distractors; i++)
            scene._shapes.Add(RandomDistractor(random, width, height, side));

        var radiusX = side * Uniform(random, 0.28f, 0.40f);
        var radiusY = radiusX * Uniform(random, 1.0f, 1.2f);
        var reach = 0.85f * radiusY; // up to 15% of a face may lie outside the picture
        var slope = Uniform(random, -MaxRotationSlope, MaxRotationSlope);
        var face = Frame.At(Uniform(random, reach, width - reach), Uniform(random, reach, height - reach)).Rotated(slope);

        var skin = random.NextDouble() < 0.65;
        var faceColour = skin
            ? Colour.Lerp(new Colour(255, 224, 189), new Colour(141, 85, 36), Uniform(random, 0, 1)).Jitter(random, 12)
            : RandomColour(random);
        // Features contrast with the face: dark on a light face, light on a dark one.
        var featureColour = faceColour.Luma > 110
            ? new Colour(Uniform(random, 0, 70), Uniform(random, 0, 60), Uniform(random, 0, 60))
            : new Colour(Uniform(random, 190, 255), Uniform(random, 190, 255), Uniform(random, 190, 255));

        scene._shapes.Add(new Shape(face, new EllipseGeometry(radiusX, radiusY), faceColour));
        if (random.NextDouble() < 0.5)
            scene._shapes.Add(new Shape(face, new EllipseOutlineGeometry(radiusX, radiusY, radiusX * Uniform(random, 0.02f, 0.05f)), featureColour));

        // Eyes (v grows downwards in the face's frame, as y does in the picture).
        var eyeX = radiusX * Uniform(random, 0.28f, 0.45f);
        var eyeY = -radiusY * Uniform(random, 0.12f, 0.35f);
        var eyeRadiusX = radiusX * Uniform(random, 0.07f, 0.14f);
        var eyeRadiusY = eyeRadiusX * Uniform(random, 1.0f, 1.6f);
        var sclera = random.NextDouble() < 0.3;
        foreach (var mirror in (ReadOnlySpan<float>)[-1f, 1f])
        {
            var eye = face.Offset(mirror * eyeX, eyeY);
            if (sclera)
            {
                scene._shapes.Add(new Shape(eye, new EllipseGeometry(eyeRadiusX * 1.4f, eyeRadiusY * 1.4f), new Colour(250, 250, 250)));
                scene._shapes.Add(new Shape(eye, new EllipseGeometry(eyeRadiusX * 0.75f, eyeRadiusY * 0.75f), new Colour(20, 20, 20)));
            }
            else
            {
                scene._shapes.Add(new Shape(eye, new EllipseGeometry(eyeRadiusX, eyeRadiusY), featureColour));
            }
        }

        // Eyebrows at random slants, in both classes: present, but no evidence either way.
        if (random.NextDouble() < 0.35)
        {
            var browY = eyeY - eyeRadiusY * 1.5f - radiusY * Uniform(random, 0.05f, 0.15f);
            var browHalf = radiusX * Uniform(random, 0.1f, 0.18f);
            var browSlope = Uniform(random, -0.4f, 0.4f);
            var browThickness = radiusX * Uniform(random, 0.03f, 0.06f);
            foreach (var mirror in (ReadOnlySpan<float>)[-1f, 1f])
            {
                var brow = face.Offset(mirror * eyeX, browY).Rotated(mirror * browSlope);
                scene._shapes.Add(new Shape(brow, new SegmentGeometry(browHalf, browThickness), featureColour));
            }
        }

        if (random.NextDouble() < 0.4)
        {
            var noseRadius = radiusX * Uniform(random, 0.04f, 0.09f);
            scene._shapes.Add(new Shape(face.Offset(0, radiusY * Uniform(random, 0f, 0.15f)),
                new EllipseGeometry(noseRadius, noseRadius * Uniform(random, 1f, 1.5f)), faceColour.Scaled(0.8f)));
        }

        // The mouth: a parabola whose middle sits below its corners in a smile, above in a frown.
        // Weak curvature, thin strokes and a slight tilt make some faces hard to read.
        var mouthHalfWidth = radiusX * Uniform(random, 0.45f, 0.7f);
        var depth = mouthHalfWidth * Uniform(random, 0.35f, 0.8f) * (smiling ? 1 : -1);
        var thickness = radiusX * Uniform(random, 0.11f, 0.18f);
        var mouth = face.Offset(radiusX * Uniform(random, -0.08f, 0.08f), radiusY * Uniform(random, 0.35f, 0.55f))
            .Rotated(Uniform(random, -0.12f, 0.12f));
        scene._shapes.Add(new Shape(mouth, new ArcGeometry(mouthHalfWidth, depth, thickness), featureColour));
        return scene;
    }

    /// <summary>
    /// The same picture (background, noise) with only the shapes <paramref name="keep"/> accepts, by their index in drawing
    /// order (the mouth is drawn last): where a shape lies shows as what changes without it.
    /// </summary>
    internal FaceScene WithShapes(Func<int, bool> keep)
    {
        var copy = new FaceScene(_backgroundFrom, _backgroundTo, _gradientX, _gradientY, _noiseAmplitude, _noiseCellSize, _noiseSeed);
        copy._shapes.AddRange(_shapes.Where((_, index) => keep(index)));
        return copy;
    }

    internal int ShapeCount => _shapes.Count;

    public void Render(RgbCanvas canvas)
    {
        canvas.FillGradient(_backgroundFrom, _backgroundTo, _gradientX, _gradientY);
        foreach (var shape in _shapes) canvas.Draw(shape);
        canvas.AddGreyNoise(_noiseAmplitude, _noiseCellSize, _noiseSeed);
    }

    private static Shape RandomDistractor(Random random, float width, float height, float side)
    {
        var frame = Frame.At(Uniform(random, 0, width), Uniform(random, 0, height)).Rotated(Uniform(random, -2f, 2f));
        var size = side * Uniform(random, 0.04f, 0.18f);
        Geometry geometry = random.Next(4) switch
        {
            0 => new EllipseGeometry(size, size * Uniform(random, 0.5f, 1.5f)),
            1 => new BoxGeometry(size, size * Uniform(random, 0.3f, 1.5f)),
            2 => new SegmentGeometry(size * 1.5f, side * Uniform(random, 0.01f, 0.04f)),
            _ => new EllipseOutlineGeometry(size, size, side * Uniform(random, 0.01f, 0.03f)),
        };
        return new Shape(frame, geometry, RandomColour(random));
    }

    internal static Colour RandomColour(Random random) =>
        new(random.Next(256), random.Next(256), random.Next(256));

    /// <summary>A uniformly random unit vector without sin/cos (rejection sampling in the unit disc).</summary>
    internal static (float X, float Y) RandomDirection(Random random)
    {
        while (true)
        {
            var x = Uniform(random, -1, 1);
            var y = Uniform(random, -1, 1);
            var length = MathF.Sqrt(x * x + y * y);
            if (length is > 0.05f and <= 1f) return (x / length, y / length);
        }
    }

    internal static float Uniform(Random random, float min, float max) => min + (float)random.NextDouble() * (max - min);
}

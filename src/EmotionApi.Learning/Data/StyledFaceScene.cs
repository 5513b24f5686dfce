namespace EmotionApi.Learning.Data;

/// <summary>
/// Draws one face of a <see cref="FaceStyle"/> with what makes pictures hard: a textured background (stripes, checks,
/// value noise, gradients) and clutter (shapes, strokes and arcs of either curvature), a face from about half to four
/// fifths of the picture across, anywhere (partly outside it), turned up to 20 degrees, sometimes partly hidden
/// (a box over a side, a blob over the top, a bar across the eyes), then grain and blur. Only the mouth's curvature
/// tells the class: a smile bends down in the middle, a frown up. Every random choice comes from one seeded
/// <see cref="Random"/>, in a fixed order.
/// </summary>
internal static class StyledFaceScene
{
    // Whole-face rotation up to 20 degrees either way, drawn as a slope: tan(20 degrees).
    private const float MaxRotationSlope = 0.36397023f;
    // Per-pixel grain up to this side, coarser above (as FaceScene's).
    private const float NoiseCellsPerSide = 192;

    public static void Render(Random random, RgbCanvas canvas, FaceStyle style, bool smiling)
    {
        float width = canvas.Width, height = canvas.Height, side = Math.Min(width, height);
        var palette = Palette.For(style);

        Background(random, canvas, palette);
        var clutter = random.Next(0, 5);
        for (var i = 0; i < clutter; i++) canvas.Draw(Clutter(random, width, height, side, palette));

        var radiusX = side * Uniform(random, 0.24f, 0.42f);
        var radiusY = radiusX * Uniform(random, palette.MinAspect, palette.MaxAspect);
        // The face may leave the picture by a fifth of its size; the mouth stays in.
        var reach = 0.8f * Math.Max(radiusX, radiusY);
        var face = Frame.At(Uniform(random, reach, Math.Max(reach, width - reach)), Uniform(random, reach, Math.Max(reach, height - reach)))
            .Rotated(Uniform(random, -MaxRotationSlope, MaxRotationSlope));
        var layout = Layout.Sample(random, radiusX, radiusY, smiling);

        switch (style)
        {
            case FaceStyle.Flat: Flat(random, canvas, face, layout); break;
            case FaceStyle.LineArt: LineArt(random, canvas, face, layout); break;
            case FaceStyle.Shaded: Shaded(random, canvas, face, layout); break;
            case FaceStyle.Emoji: Emoji(random, canvas, face, layout); break;
            case FaceStyle.Sketch: Sketch(random, canvas, face, layout); break;
            default: Neon(random, canvas, face, layout); break;
        }

        if (random.NextDouble() < 0.2) canvas.Draw(Occluder(random, face, layout, palette));

        canvas.AddGreyNoise(Uniform(random, 0, 16), Math.Max(1, (int)(side / NoiseCellsPerSide + 0.5f)), (uint)random.Next() | 1u);
        var blur = random.NextDouble();
        var scale = Math.Max(1, (int)(side / 192 + 0.5f));
        if (blur < 0.05) canvas.BoxBlur(2 * scale, random.Next(1, 3));
        else if (blur < 0.35) canvas.BoxBlur(scale, random.Next(1, 3));
    }

    /// <summary>Where a face's features sit, in its frame (v grows downwards): proportions vary with every face.</summary>
    private sealed record Layout(
        float RadiusX, float RadiusY, float EyeX, float EyeY, float EyeRadius, float MouthY, float MouthHalfWidth, float MouthDepth, float MouthTilt)
    {
        public static Layout Sample(Random random, float radiusX, float radiusY, bool smiling)
        {
            var eyeX = radiusX * Uniform(random, 0.25f, 0.48f);
            var eyeY = -radiusY * Uniform(random, 0.08f, 0.38f);
            var eyeRadius = radiusX * Uniform(random, 0.06f, 0.15f);
            var mouthY = radiusY * Uniform(random, 0.3f, 0.58f);
            var halfWidth = radiusX * Uniform(random, 0.35f, 0.68f);
            // Weak curvature makes some faces hard to read, as in FaceScene.
            var depth = halfWidth * Uniform(random, 0.35f, 0.8f) * (smiling ? 1 : -1);
            return new Layout(radiusX, radiusY, eyeX, eyeY, eyeRadius, mouthY, halfWidth, depth, Uniform(random, -0.15f, 0.15f));
        }

        public Frame Mouth(Frame face, Random random) =>
            face.Offset(RadiusX * Uniform(random, -0.08f, 0.08f), MouthY).Rotated(MouthTilt);
    }

    /// <summary>The colours a style draws with and the face proportions it allows.</summary>
    private sealed record Palette(Func<Random, Colour> Ground, Func<Random, Colour> Ink, bool LightGround, bool DarkGround, float MinAspect, float MaxAspect)
    {
        public static Palette For(FaceStyle style) => style switch
        {
            FaceStyle.LineArt or FaceStyle.Sketch => new Palette(Light, Dark, LightGround: true, DarkGround: false, 1.0f, 1.3f),
            FaceStyle.Neon => new Palette(Dark, Bright, LightGround: false, DarkGround: true, 0.85f, 1.4f),
            FaceStyle.Emoji => new Palette(Any, Any, LightGround: false, DarkGround: false, 0.95f, 1.05f),
            _ => new Palette(Any, Any, LightGround: false, DarkGround: false, 1.0f, 1.25f),
        };
    }

    private static void Background(Random random, RgbCanvas canvas, Palette palette)
    {
        var first = palette.Ground(random);
        var second = palette.Ground(random);
        var kind = random.NextDouble();
        if (kind < 0.2)
        {
            canvas.FillGradient(first, first, 1, 0);
        }
        else if (kind < 0.4)
        {
            var (dx, dy) = RandomDirection(random);
            canvas.FillGradient(first, second, dx, dy);
        }
        else if (kind < 0.55)
        {
            var (dx, dy) = RandomDirection(random);
            // Ruled paper on light grounds: thin lines far apart.
            var duty = palette.LightGround ? Uniform(random, 0.05f, 0.15f) : Uniform(random, 0.3f, 0.7f);
            canvas.FillStripes(palette.LightGround ? palette.Ink(random).Mix(first, 0.8f) : second, first, dx, dy,
                Math.Min(canvas.Width, canvas.Height) * Uniform(random, 0.04f, 0.2f), duty);
        }
        else if (kind < 0.7)
        {
            var frame = Frame.At(0, 0).Rotated(Uniform(random, -1, 1));
            canvas.FillChecker(first, palette.LightGround ? first.Mix(second, 0.3f) : second, frame, Math.Min(canvas.Width, canvas.Height) * Uniform(random, 0.05f, 0.2f));
        }
        else
        {
            canvas.FillValueNoise(first, second, random.Next(2, 12), random);
        }
    }

    private static Shape Clutter(Random random, float width, float height, float side, Palette palette)
    {
        var frame = Frame.At(Uniform(random, 0, width), Uniform(random, 0, height)).Rotated(Uniform(random, -2f, 2f));
        var size = side * Uniform(random, 0.04f, 0.16f);
        var stroke = side * Uniform(random, 0.01f, 0.035f);
        Geometry geometry = random.Next(5) switch
        {
            0 => new EllipseGeometry(size, size * Uniform(random, 0.5f, 1.5f)),
            1 => new BoxGeometry(size, size * Uniform(random, 0.3f, 1.5f)),
            2 => new SegmentGeometry(size * 1.5f, stroke),
            3 => new EllipseOutlineGeometry(size, size, stroke),
            // Strokes bent either way: a curve alone does not mean a mouth.
            _ => new ArcGeometry(size, size * Uniform(random, -0.7f, 0.7f), stroke),
        };
        var colour = palette.LightGround || palette.DarkGround ? palette.Ink(random) : RandomColour(random);
        return new Shape(frame, geometry, colour, Opacity: random.NextDouble() < 0.7 ? 1 : Uniform(random, 0.3f, 0.8f));
    }

    private static Shape Occluder(Random random, Frame face, Layout layout, Palette palette)
    {
        var colour = palette.DarkGround ? Dark(random) : RandomColour(random);
        return random.Next(3) switch
        {
            // Something in front of one side, up to a mouth corner.
            0 => new Shape(
                face.Offset((random.NextDouble() < 0.5 ? -1 : 1) * layout.RadiusX * Uniform(random, 0.6f, 0.95f), layout.RadiusY * Uniform(random, -0.3f, 0.3f))
                    .Rotated(Uniform(random, -0.5f, 0.5f)),
                new BoxGeometry(layout.RadiusX * Uniform(random, 0.2f, 0.45f), layout.RadiusY * Uniform(random, 0.3f, 0.8f)), colour),
            // A hat, a hand or hair over the top of the head.
            1 => new Shape(
                face.Offset(layout.RadiusX * Uniform(random, -0.5f, 0.5f), -layout.RadiusY * Uniform(random, 0.5f, 0.9f)),
                new EllipseGeometry(layout.RadiusX * Uniform(random, 0.35f, 0.7f), layout.RadiusY * Uniform(random, 0.25f, 0.5f)), colour),
            // A bar across the eyes.
            _ => new Shape(face.Offset(0, layout.EyeY), new SegmentGeometry(layout.EyeX + layout.EyeRadius * 1.5f, layout.EyeRadius * Uniform(random, 2.5f, 4f)), colour),
        };
    }

    private static void Flat(Random random, RgbCanvas canvas, Frame face, Layout layout)
    {
        var skin = SkinOrAny(random);
        var feature = Contrasting(random, skin);
        canvas.Draw(new Shape(face, new EllipseGeometry(layout.RadiusX, layout.RadiusY), skin));
        if (random.NextDouble() < 0.5)
            canvas.Draw(new Shape(face, new EllipseOutlineGeometry(layout.RadiusX, layout.RadiusY, layout.RadiusX * Uniform(random, 0.02f, 0.05f)), feature));
        Eyes(canvas, mirror => new Shape(face.Offset(mirror * layout.EyeX, layout.EyeY),
            new EllipseGeometry(layout.EyeRadius, layout.EyeRadius * 1.3f), feature));
        Brows(random, canvas, face, layout, feature, 0.35);
        canvas.Draw(new Shape(layout.Mouth(face, random),
            new ArcGeometry(layout.MouthHalfWidth, layout.MouthDepth, layout.RadiusX * Uniform(random, 0.09f, 0.17f)), feature));
    }

    private static void LineArt(Random random, RgbCanvas canvas, Frame face, Layout layout)
    {
        var ink = Dark(random);
        var stroke = layout.RadiusX * Uniform(random, 0.04f, 0.08f);
        if (random.NextDouble() < 0.6) canvas.Draw(new Shape(face, new EllipseGeometry(layout.RadiusX, layout.RadiusY), Light(random)));
        if (random.NextDouble() < 0.4)
        {
            foreach (var mirror in (ReadOnlySpan<float>)[-1f, 1f])
                canvas.Draw(new Shape(face.Offset(mirror * layout.RadiusX, 0), new EllipseOutlineGeometry(layout.RadiusX * 0.15f, layout.RadiusY * 0.22f, stroke), ink));
        }
        canvas.Draw(new Shape(face, new EllipseOutlineGeometry(layout.RadiusX, layout.RadiusY, stroke), ink));
        // Hair: strokes bent either way along the top of the head.
        if (random.NextDouble() < 0.5)
        {
            var strands = random.Next(3, 8);
            for (var i = 0; i < strands; i++)
            {
                var u = layout.RadiusX * Uniform(random, -0.7f, 0.7f);
                canvas.Draw(new Shape(face.Offset(u, -layout.RadiusY * Uniform(random, 0.75f, 0.95f)).Rotated(Uniform(random, -0.6f, 0.6f)),
                    new ArcGeometry(layout.RadiusX * Uniform(random, 0.12f, 0.3f), layout.RadiusX * Uniform(random, -0.15f, 0.15f), stroke), ink));
            }
        }
        var rings = random.NextDouble() < 0.5;
        Eyes(canvas, mirror => new Shape(face.Offset(mirror * layout.EyeX, layout.EyeY),
            rings ? new EllipseOutlineGeometry(layout.EyeRadius * 1.2f, layout.EyeRadius * 1.4f, stroke) : new EllipseGeometry(layout.EyeRadius * 0.7f, layout.EyeRadius), ink));
        if (rings && random.NextDouble() < 0.6)
            Eyes(canvas, mirror => new Shape(face.Offset(mirror * layout.EyeX, layout.EyeY), new EllipseGeometry(layout.EyeRadius * 0.45f, layout.EyeRadius * 0.45f), ink));
        if (random.NextDouble() < 0.6)
            canvas.Draw(new Shape(face.Offset(0, layout.RadiusY * Uniform(random, 0f, 0.15f)).Rotated(Uniform(random, 2f, 5f)),
                new SegmentGeometry(layout.RadiusY * Uniform(random, 0.06f, 0.12f), stroke), ink));
        canvas.Draw(new Shape(layout.Mouth(face, random), new ArcGeometry(layout.MouthHalfWidth, layout.MouthDepth, stroke * Uniform(random, 1.2f, 1.8f)), ink));
    }

    private static void Shaded(Random random, RgbCanvas canvas, Frame face, Layout layout)
    {
        var skin = random.NextDouble() < 0.9 ? Skin(random) : RandomColour(random);
        var (lightU, lightV) = RandomDirection(random);
        // Light from the front and one side: the shaded half keeps 35 to 60% of the colour.
        var lateral = Uniform(random, 0.3f, 0.7f);
        var frontal = MathF.Sqrt(1 - lateral * lateral);
        var shading = new Shading(layout.RadiusX, layout.RadiusY, lightU * lateral, lightV * lateral, frontal, Uniform(random, 0.35f, 0.6f));
        canvas.Draw(new Shape(face, new EllipseGeometry(layout.RadiusX, layout.RadiusY), skin, Shading: shading));
        if (random.NextDouble() < 0.5)
        {
            foreach (var mirror in (ReadOnlySpan<float>)[-1f, 1f])
                canvas.Draw(new Shape(face.Offset(mirror * layout.RadiusX * 0.5f, layout.RadiusY * 0.15f),
                    new EllipseGeometry(layout.RadiusX * 0.16f, layout.RadiusY * 0.1f), new Colour(235, 110, 120), Opacity: Uniform(random, 0.2f, 0.4f)));
        }
        var iris = random.Next(3) switch { 0 => new Colour(70, 110, 170), 1 => new Colour(100, 65, 35), _ => new Colour(70, 120, 70) };
        Eyes(canvas, mirror => new Shape(face.Offset(mirror * layout.EyeX, layout.EyeY),
            new EllipseGeometry(layout.EyeRadius * 1.4f, layout.EyeRadius), new Colour(245, 245, 240)));
        Eyes(canvas, mirror => new Shape(face.Offset(mirror * layout.EyeX, layout.EyeY),
            new EllipseGeometry(layout.EyeRadius * 0.75f, layout.EyeRadius * 0.75f), iris));
        Eyes(canvas, mirror => new Shape(face.Offset(mirror * layout.EyeX, layout.EyeY),
            new EllipseGeometry(layout.EyeRadius * 0.35f, layout.EyeRadius * 0.35f), new Colour(15, 15, 15)));
        Eyes(canvas, mirror => new Shape(face.Offset(mirror * layout.EyeX + layout.EyeRadius * 0.25f, layout.EyeY - layout.EyeRadius * 0.25f),
            new EllipseGeometry(layout.EyeRadius * 0.15f, layout.EyeRadius * 0.15f), new Colour(255, 255, 255)));
        Brows(random, canvas, face, layout, skin.Scaled(0.45f), 0.6);
        canvas.Draw(new Shape(face.Offset(0, layout.RadiusY * 0.08f), new EllipseGeometry(layout.RadiusX * 0.07f, layout.RadiusY * 0.1f), skin.Scaled(0.7f), Opacity: 0.5f));
        var lips = new Colour(Uniform(random, 150, 210), Uniform(random, 40, 80), Uniform(random, 50, 90));
        var mouth = layout.Mouth(face, random);
        canvas.Draw(new Shape(mouth, new ArcGeometry(layout.MouthHalfWidth, layout.MouthDepth, layout.RadiusX * Uniform(random, 0.08f, 0.15f)), lips));
        if (random.NextDouble() < 0.3)
            canvas.Draw(new Shape(mouth, new ArcGeometry(layout.MouthHalfWidth * 0.9f, layout.MouthDepth * 0.9f, layout.RadiusX * 0.03f), lips.Scaled(0.5f)));
    }

    private static void Emoji(Random random, RgbCanvas canvas, Frame face, Layout layout)
    {
        var yellow = random.NextDouble() < 0.75
            ? new Colour(255, Uniform(random, 190, 225), Uniform(random, 40, 90))
            : RandomColour(random);
        var shading = random.NextDouble() < 0.5 ? new Shading(layout.RadiusX, layout.RadiusY, -0.3f, -0.4f, 0.866f, 0.7f) : (Shading?)null;
        canvas.Draw(new Shape(face, new EllipseGeometry(layout.RadiusX, layout.RadiusY), yellow, Shading: shading));
        var outline = new Colour(Uniform(random, 60, 110), Uniform(random, 40, 70), Uniform(random, 10, 40));
        if (random.NextDouble() < 0.6)
            canvas.Draw(new Shape(face, new EllipseOutlineGeometry(layout.RadiusX, layout.RadiusY, layout.RadiusX * Uniform(random, 0.04f, 0.08f)), outline));
        Eyes(canvas, mirror => new Shape(face.Offset(mirror * layout.EyeX, layout.EyeY),
            new EllipseGeometry(layout.EyeRadius * 0.8f, layout.EyeRadius * 1.6f), outline.Scaled(0.5f)));
        Brows(random, canvas, face, layout, outline, 0.3);
        var mouth = layout.Mouth(face, random);
        if (random.NextDouble() < 0.25)
        {
            canvas.Draw(new Shape(mouth, new ArcGeometry(layout.MouthHalfWidth, layout.MouthDepth, layout.RadiusX * 0.1f), outline));
            return;
        }
        // An open mouth: flat on the teeth's side, round on the other (a D laid on its back for a smile).
        var inner = layout.MouthDepth * Uniform(random, 0f, 0.35f);
        var outer = layout.MouthDepth * 1.3f;
        canvas.Draw(new Shape(mouth, new OpenMouthGeometry(layout.MouthHalfWidth, inner, outer), new Colour(Uniform(random, 90, 150), 25, 30)));
        if (random.NextDouble() < 0.5)
            canvas.Draw(new Shape(mouth, new OpenMouthGeometry(layout.MouthHalfWidth * 0.92f, inner, inner + (outer - inner) * 0.35f), new Colour(250, 250, 250)));
    }

    private static void Sketch(Random random, RgbCanvas canvas, Frame face, Layout layout)
    {
        var graphite = Uniform(random, 40, 110);
        var ink = new Colour(graphite, graphite, graphite * Uniform(random, 0.95f, 1.1f));
        var stroke = Math.Max(0.8f, layout.RadiusX * Uniform(random, 0.025f, 0.045f));
        var opacity = Uniform(random, 0.55f, 0.9f);
        // Two or three rough passes for each line.
        var passes = random.Next(2, 4);
        for (var pass = 0; pass < passes; pass++)
        {
            canvas.Draw(new Shape(face.Offset(layout.RadiusX * Uniform(random, -0.04f, 0.04f), layout.RadiusY * Uniform(random, -0.04f, 0.04f)),
                new EllipseOutlineGeometry(layout.RadiusX * Uniform(random, 0.95f, 1.05f), layout.RadiusY * Uniform(random, 0.95f, 1.05f), stroke), ink, opacity));
        }
        if (random.NextDouble() < 0.6)
        {
            var shadowSide = random.NextDouble() < 0.5 ? -1 : 1;
            var lines = random.Next(6, 16);
            for (var i = 0; i < lines; i++)
            {
                canvas.Draw(new Shape(face.Offset(shadowSide * layout.RadiusX * Uniform(random, 0.45f, 0.8f), layout.RadiusY * Uniform(random, -0.5f, 0.3f)).Rotated(1),
                    new SegmentGeometry(layout.RadiusX * Uniform(random, 0.08f, 0.18f), stroke * 0.8f), ink, opacity * 0.5f));
            }
        }
        Eyes(canvas, mirror => new Shape(face.Offset(mirror * layout.EyeX, layout.EyeY),
            new EllipseOutlineGeometry(layout.EyeRadius, layout.EyeRadius * 1.2f, stroke), ink, opacity));
        Eyes(canvas, mirror => new Shape(face.Offset(mirror * layout.EyeX, layout.EyeY),
            new EllipseGeometry(layout.EyeRadius * 0.4f, layout.EyeRadius * 0.4f), ink, opacity));
        Brows(random, canvas, face, layout, ink, 0.5);
        var mouth = layout.Mouth(face, random);
        for (var pass = 0; pass < passes; pass++)
        {
            canvas.Draw(new Shape(mouth.Offset(layout.RadiusX * Uniform(random, -0.03f, 0.03f), layout.RadiusY * Uniform(random, -0.03f, 0.03f)),
                new ArcGeometry(layout.MouthHalfWidth * Uniform(random, 0.92f, 1.05f), layout.MouthDepth * Uniform(random, 0.85f, 1.1f), stroke * 1.5f), ink, opacity));
        }
    }

    private static void Neon(Random random, RgbCanvas canvas, Frame face, Layout layout)
    {
        var glow = Bright(random);
        var other = random.NextDouble() < 0.5 ? glow : Bright(random);
        var core = layout.RadiusX * Uniform(random, 0.035f, 0.06f);
        void Glowing(Frame frame, Func<float, Geometry> geometry, Colour colour)
        {
            canvas.Draw(new Shape(frame, geometry(core * 4), colour, Opacity: Uniform(random, 0.15f, 0.3f)));
            canvas.Draw(new Shape(frame, geometry(core), colour.Mix(new Colour(255, 255, 255), 0.4f)));
        }

        Glowing(face, stroke => new EllipseOutlineGeometry(layout.RadiusX, layout.RadiusY, stroke), glow);
        foreach (var mirror in (ReadOnlySpan<float>)[-1f, 1f])
            Glowing(face.Offset(mirror * layout.EyeX, layout.EyeY), stroke => new EllipseOutlineGeometry(layout.EyeRadius, layout.EyeRadius * 1.3f, stroke), other);
        var mouth = layout.Mouth(face, random);
        Glowing(mouth, stroke => new ArcGeometry(layout.MouthHalfWidth, layout.MouthDepth, stroke * 1.2f), other);
    }

    private static void Eyes(RgbCanvas canvas, Func<float, Shape> eye)
    {
        canvas.Draw(eye(-1));
        canvas.Draw(eye(1));
    }

    // Eyebrows at random slants in both classes: present, but no evidence either way.
    private static void Brows(Random random, RgbCanvas canvas, Frame face, Layout layout, Colour colour, double probability)
    {
        if (random.NextDouble() >= probability) return;
        var browY = layout.EyeY - layout.EyeRadius * 1.8f - layout.RadiusY * Uniform(random, 0.03f, 0.12f);
        var half = layout.RadiusX * Uniform(random, 0.1f, 0.18f);
        var slope = Uniform(random, -0.4f, 0.4f);
        var thickness = layout.RadiusX * Uniform(random, 0.03f, 0.06f);
        foreach (var mirror in (ReadOnlySpan<float>)[-1f, 1f])
            canvas.Draw(new Shape(face.Offset(mirror * layout.EyeX, browY).Rotated(mirror * slope), new SegmentGeometry(half, thickness), colour));
    }

    private static Colour SkinOrAny(Random random) => random.NextDouble() < 0.65 ? Skin(random) : RandomColour(random);

    private static Colour Skin(Random random) =>
        Colour.Lerp(new Colour(255, 224, 189), new Colour(141, 85, 36), Uniform(random, 0, 1)).Jitter(random, 12);

    // Features contrast with the face: dark on a light face, light on a dark one.
    private static Colour Contrasting(Random random, Colour face) => face.Luma > 110 ? Dark(random) : Light(random);

    private static Colour Any(Random random) => RandomColour(random);

    private static Colour Light(Random random) => new(Uniform(random, 200, 255), Uniform(random, 195, 255), Uniform(random, 185, 250));

    private static Colour Dark(Random random) => new(Uniform(random, 0, 60), Uniform(random, 0, 55), Uniform(random, 0, 70));

    private static Colour Bright(Random random) => random.Next(5) switch
    {
        0 => new Colour(40, Uniform(random, 220, 255), 255),
        1 => new Colour(255, 40, Uniform(random, 180, 255)),
        2 => new Colour(Uniform(random, 120, 200), 255, 60),
        3 => new Colour(255, Uniform(random, 140, 200), 30),
        _ => new Colour(Uniform(random, 150, 220), 90, 255),
    };

    private static Colour RandomColour(Random random) => FaceScene.RandomColour(random);

    private static (float X, float Y) RandomDirection(Random random) => FaceScene.RandomDirection(random);

    private static float Uniform(Random random, float min, float max) => FaceScene.Uniform(random, min, max);
}

namespace EmotionApi.Learning.Augmentation;

/// <summary>
/// One image's random transform, the fields of Keras' ImageDataGenerator.get_random_transform:
/// rotation theta (degrees), shifts tx (rows) and ty (columns) in pixels, shear (degrees), zoom
/// zx (rows) and zy (columns), horizontal flip.
/// </summary>
internal readonly record struct AffineDraw(
    double RotationDegrees,
    double ShiftRows,
    double ShiftColumns,
    double ShearDegrees,
    double ZoomRows,
    double ZoomColumns,
    bool FlipHorizontal)
{
    public static AffineDraw Identity { get; } = new(0, 0, 0, 0, 1, 1, false);

    /// <summary>
    /// The 2x2 matrix A and offset t of Keras' apply_affine_transform in pixel units about the image centre,
    /// (row, column) order, mapping an OUTPUT pixel to the INPUT point it samples: in = A out + t.
    /// A = rotation x shear x zoom (x flip); the shift is applied inside the rotation, as Keras' product
    /// rotation . shift . shear . zoom does, so t = rotation . (tx, ty). Keras flips after transforming,
    /// which is a column negation on the output side: A . diag(1, -1).
    /// </summary>
    public (double Rr, double Rc, double Cr, double Cc, double Tr, double Tc) PixelMatrix()
    {
        var theta = RotationDegrees * Math.PI / 180;
        var (sin, cos) = Math.SinCos(theta);
        var shear = ShearDegrees * Math.PI / 180;
        // rotation [[cos, -sin], [sin, cos]] . shear [[1, -sin s], [0, cos s]]
        double rr = cos, rc = -cos * Math.Sin(shear) - sin * Math.Cos(shear);
        double cr = sin, cc = -sin * Math.Sin(shear) + cos * Math.Cos(shear);
        // . zoom diag(zx, zy)
        rr *= ZoomRows; cr *= ZoomRows;
        rc *= ZoomColumns; cc *= ZoomColumns;
        if (FlipHorizontal) { rc = -rc; cc = -cc; }
        var tr = cos * ShiftRows - sin * ShiftColumns;
        var tc = sin * ShiftRows + cos * ShiftColumns;
        return (rr, rc, cr, cc, tr, tc);
    }

    /// <summary>
    /// The same transform as affine_grid's theta: normalised coordinates (x = column, y = row, both in
    /// [-1, 1] over the image, align_corners false), so a pixel offset d along an axis of n pixels is
    /// 2d / n. Converting through pixels keeps rotation and shear right when height and width differ.
    /// Row-major [[x_x, x_y, x_0], [y_x, y_y, y_0]].
    /// </summary>
    public float[] Theta(int height, int width)
    {
        var (rr, rc, cr, cc, tr, tc) = PixelMatrix();
        return
        [
            (float)cc, (float)(cr * height / width), (float)(2 * tc / width),
            (float)(rc * width / height), (float)rr, (float)(2 * tr / height),
        ];
    }
}

namespace EmotionApi.Learning.Explanations;

/// <summary>How a heatmap was made.</summary>
public enum ExplanationMethod
{
    /// <summary>
    /// Grad-CAM (Selvaraju et al. 2017) on the last convolution: its feature maps weighted by the mean gradient of the
    /// explained class's logit, summed, ReLU, resized to the input. One forward and one backward pass.
    /// </summary>
    GradCam,

    /// <summary>
    /// Occlusion (Zeiler and Fergus 2014): a patch of the image's mean colour slid over it; heat is how far covering a region
    /// moves the probability away from the label. Resolution independent of the network; one forward pass per position.
    /// </summary>
    Occlusion,
}

using Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// Reads ResNet-18's ImageNet weights from the two ONNX graphs of the NuGet package
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 (a CNTK 2.6 export) into a <see cref="ResNet18Backbone"/>:
/// ResNetPreprocess.onnx (RGB planes reordered to BGR, a 224x224 mean image subtracted) and ResNet18.onnx
/// (convolutions, batch normalisation kept apart from them, ReLU, residual additions, 7x7 average pooling).
/// Layers are matched by walking the graph's data flow from its input, never by initializer names or order:
/// every convolution, batch normalisation, pooling and addition must sit where ResNet-18 puts it, with the
/// kernel, stride, padding and shape of the layer it fills, and every node must be accounted for; anything else
/// throws <see cref="InvalidDataException"/> naming the node. Batch normalisation is not folded: each node's
/// scale, bias, mean and variance become BatchNorm2d's weight, bias, running_mean and running_var, so
/// fine-tuning can still update them. The BGR order is absorbed into the first convolution's input channels
/// and the mean image, so the backbone takes the service's RGB directly.
/// </summary>
public static class ResNet18OnnxImport
{
    private const int ImageChannels = 3;

    /// <summary>The backbone with the weights of <paramref name="resNetPath"/> and the mean image of <paramref name="preprocessPath"/>, in eval mode.</summary>
    /// <exception cref="InvalidDataException">A graph is not the ResNet-18 (or preprocessing) this importer knows.</exception>
    public static ResNet18Backbone Read(string resNetPath, string preprocessPath)
    {
        var preprocess = OnnxGraph.Read(preprocessPath);
        var resNet = OnnxGraph.Read(resNetPath);
        TorchRuntime.EnsureLoaded();
        var backbone = new ResNet18Backbone();
        try
        {
            Import(resNet, preprocess, backbone);
        }
        catch
        {
            backbone.Dispose();
            throw;
        }
        backbone.eval();
        return backbone;
    }

    internal static void Import(OnnxGraph resNet, OnnxGraph preprocess, ResNet18Backbone backbone)
    {
        using var noGrad = no_grad();
        var (channelOrder, meanImage, side) = ReadPreprocessing(preprocess);
        var meanShape = backbone.MeanImage.shape;
        if (side != ResNet18Backbone.PretrainedSide)
            throw preprocess.Invalid($"the mean image is {side}x{side}; the backbone expects {ResNet18Backbone.PretrainedSide}x{ResNet18Backbone.PretrainedSide}");
        using (var mean = tensor(meanImage, meanShape)) backbone.MeanImage.copy_(mean);

        var (input, dims) = resNet.SingleInput();
        if (RequireImage(resNet, dims) != side) throw resNet.Invalid($"its input is not the preprocessing's {side}x{side} output");

        var stem = resNet.OnlyConsumer(input, "Conv");
        ImportConvolution(resNet, stem, backbone.Conv1, ref side, channelOrder);
        var stemNorm = resNet.OnlyConsumer(stem.Output[0], "BatchNormalization");
        ImportBatchNorm(resNet, stemNorm, backbone.Norm1);
        var stemRelu = resNet.OnlyConsumer(stemNorm.Output[0], "Relu");
        var pool = resNet.OnlyConsumer(stemRelu.Output[0], "MaxPool");
        CheckMaxPool(resNet, pool, backbone.MaxPool, ref side);

        var features = pool.Output[0];
        foreach (var block in backbone.Blocks) features = ImportBlock(resNet, features, block, ref side);

        // The graph ends in average pooling over the whole remaining map: the backbone's global average pooling.
        var average = resNet.OnlyConsumer(features, "AveragePool");
        if (!resNet.Ints(average, "kernel_shape", []).SequenceEqual([side, side]) || resNet.Ints(average, "pads", [0, 0, 0, 0]).Any(p => p != 0))
            throw resNet.Invalid($"{OnnxGraph.Describe(average)} does not average the whole {side}x{side} map");
        var (output, outputDims) = resNet.SingleOutput();
        if (average.Output[0] != output || !outputDims.SequenceEqual([1, ResNet18Backbone.Features, 1, 1]))
            throw resNet.Invalid($"the graph's output is not the {ResNet18Backbone.Features} pooled features");
        resNet.RequireAllVisited();
    }

    /// <summary>
    /// The preprocessing graph: Split the planes, Concat them in another order, Sub a constant mean image.
    /// Returns which input channel each of the graph's channels carries, the mean image in input channel order, and its side.
    /// </summary>
    private static (int[] ChannelOrder, float[] MeanImage, int Side) ReadPreprocessing(OnnxGraph graph)
    {
        var (input, dims) = graph.SingleInput();
        var side = RequireImage(graph, dims);
        var split = graph.OnlyConsumer(input, "Split");
        if (graph.Int(split, "axis", 0) != 1 || split.Output.Count != ImageChannels || graph.Ints(split, "split", [1, 1, 1]).Any(s => s != 1))
            throw graph.Invalid($"{OnnxGraph.Describe(split)} does not split the image into its {ImageChannels} channel planes");
        var concat = graph.OnlyConsumer(split.Output[0], "Concat");
        var channelOrder = concat.Input.Select(plane => split.Output.IndexOf(plane)).ToArray();
        if (graph.Int(concat, "axis", 0) != 1 || channelOrder.Length != ImageChannels || channelOrder.Order().Where((c, i) => c != i).Any()
            || split.Output.Skip(1).Any(plane => graph.Consumers(plane).SingleOrDefault() != concat))
            throw graph.Invalid($"{OnnxGraph.Describe(concat)} does not put the {ImageChannels} planes back together");
        var sub = graph.OnlyConsumer(concat.Output[0], "Sub");
        var (meanDims, mean) = graph.Initializer(sub, 1);
        if (sub.Input[0] != concat.Output[0] || !meanDims.SequenceEqual([1, ImageChannels, side, side]))
            throw graph.Invalid($"{OnnxGraph.Describe(sub)} does not subtract a {side}x{side} mean image");
        if (sub.Output[0] != graph.SingleOutput().Name) throw graph.Invalid("the mean image's subtraction is not the graph's output");
        graph.RequireAllVisited();

        // The graph's channel j carries input channel channelOrder[j]: move each mean plane to its input channel.
        var plane = side * side;
        var inputOrderMean = new float[mean.Length];
        for (var j = 0; j < ImageChannels; j++) Array.Copy(mean, j * plane, inputOrderMean, channelOrder[j] * plane, plane);
        return (channelOrder, inputOrderMean, side);
    }

    /// <summary>One basic block from its input tensor; returns the block's output tensor (after its last ReLU).</summary>
    private static string ImportBlock(OnnxGraph graph, string input, ResNetBasicBlock block, ref int side)
    {
        // The input feeds the main branch's first convolution and the shortcut: a projection (Conv, then
        // BatchNormalization into the Add) or the identity (the Add itself). Told apart by what follows them.
        NodeProto? main = null, projection = null, identityAdd = null;
        foreach (var reader in graph.Consumers(input))
        {
            if (reader.OpType == "Add") identityAdd = reader;
            else if (reader.OpType == "Conv" && FollowedBy(graph, reader) == "Relu") main = reader;
            else if (reader.OpType == "Conv" && FollowedBy(graph, reader) == "Add") projection = reader;
            else throw graph.Invalid($"'{input}' feeds {OnnxGraph.Describe(reader)}, which no ResNet basic block has there");
        }
        if (main is null || graph.Consumers(input).Count != 2 || (projection is null) == (identityAdd is null))
            throw graph.Invalid($"'{input}' does not start a basic block (a main branch and one shortcut)");
        if ((projection is not null) != block.HasProjectionShortcut)
            throw graph.Invalid($"the block after '{input}' has {(projection is null ? "an identity" : "a projection")} shortcut where ResNet-18 has {(block.HasProjectionShortcut ? "a projection" : "the identity")}");

        var inputSide = side;
        ImportConvolution(graph, graph.Visit(main), block.Conv1, ref side);
        var norm1 = graph.OnlyConsumer(main.Output[0], "BatchNormalization");
        ImportBatchNorm(graph, norm1, block.Norm1);
        var relu = graph.OnlyConsumer(norm1.Output[0], "Relu");
        var conv2 = graph.OnlyConsumer(relu.Output[0], "Conv");
        ImportConvolution(graph, conv2, block.Conv2, ref side);
        var norm2 = graph.OnlyConsumer(conv2.Output[0], "BatchNormalization");
        ImportBatchNorm(graph, norm2, block.Norm2);
        var add = graph.OnlyConsumer(norm2.Output[0], "Add");

        var shortcut = input;
        if (projection is not null)
        {
            var shortcutSide = inputSide;
            ImportConvolution(graph, graph.Visit(projection), block.ShortcutConv!, ref shortcutSide);
            var shortcutNorm = graph.Visit(graph.Consumers(projection.Output[0]).Single());
            ImportBatchNorm(graph, shortcutNorm, block.ShortcutNorm!);
            if (shortcutSide != side) throw graph.Invalid($"{OnnxGraph.Describe(projection)} gives {shortcutSide}x{shortcutSide} for a {side}x{side} main branch");
            if (graph.Consumers(shortcutNorm.Output[0]).SingleOrDefault() != add)
                throw graph.Invalid($"{OnnxGraph.Describe(shortcutNorm)} does not feed the block's addition alone");
            shortcut = shortcutNorm.Output[0];
        }
        if (add.Input.Count != 2 || !add.Input.Order().SequenceEqual(new[] { norm2.Output[0], shortcut }.Order()))
            throw graph.Invalid($"{OnnxGraph.Describe(add)} does not add the main branch and the shortcut");
        return graph.OnlyConsumer(add.Output[0], "Relu").Output[0];
    }

    // The op type after a convolution's batch normalisation: Relu in a main branch, Add on a projection shortcut.
    private static string? FollowedBy(OnnxGraph graph, NodeProto convolution)
    {
        var norm = graph.Consumers(convolution.Output[0]);
        if (norm.Count != 1 || norm[0].OpType != "BatchNormalization") return null;
        var next = graph.Consumers(norm[0].Output[0]);
        return next.Count == 1 ? next[0].OpType : null;
    }

    /// <param name="channelOrder">For the first convolution: which input channel each of the graph's channels carries.</param>
    private static void ImportConvolution(OnnxGraph graph, NodeProto node, Conv2d layer, ref int side, int[]? channelOrder = null)
    {
        if (node.Input.Count != 2)
            throw graph.Invalid($"{OnnxGraph.Describe(node)} has a bias; ResNet-18's convolutions have none (batch normalisation follows each)");
        var kernel = layer.kernel_size;
        if (graph.Int(node, "group", 1) != layer.groups || !graph.Ints(node, "dilations", [1, 1]).SequenceEqual(layer.dilation)
            || !graph.Ints(node, "kernel_shape", kernel).SequenceEqual(kernel))
            throw graph.Invalid($"{OnnxGraph.Describe(node)} is not a plain {kernel[0]}x{kernel[1]} convolution");
        side = OutputSide(graph, node, side, kernel, layer.stride, layer.padding ?? [0, 0]);
        var (dims, values) = graph.Initializer(node, 1);
        Assign(graph, layer.weight, dims, values, $"the weights of {OnnxGraph.Describe(node)}", channelOrder);
    }

    private static void ImportBatchNorm(OnnxGraph graph, NodeProto node, BatchNorm2d layer)
    {
        if (node.OpType != "BatchNormalization" || node.Input.Count != 5)
            throw graph.Invalid($"{OnnxGraph.Describe(node)} is not an inference-mode batch normalisation");
        if (Math.Abs(graph.Float(node, "epsilon", 1e-5f) - layer.eps) > 1e-9 || graph.Int(node, "spatial", 1) != 1)
            throw graph.Invalid($"{OnnxGraph.Describe(node)} is not per-channel batch normalisation with epsilon {layer.eps}");
        // ONNX's inputs: X, scale, B, mean, var.
        Tensor[] targets = [layer.weight, layer.bias!, layer.running_mean!, layer.running_var!];
        string[] roles = ["scale", "bias", "mean", "variance"];
        for (var i = 0; i < targets.Length; i++)
        {
            var (dims, values) = graph.Initializer(node, i + 1);
            Assign(graph, targets[i], dims, values, $"the {roles[i]} of {OnnxGraph.Describe(node)}");
        }
    }

    private static void CheckMaxPool(OnnxGraph graph, NodeProto node, MaxPool2d layer, ref int side)
    {
        if (!graph.Ints(node, "kernel_shape", []).SequenceEqual(layer.kernel_size) || graph.Int(node, "ceil_mode", 0) != 0
            || !graph.Ints(node, "dilations", [1, 1]).SequenceEqual([1, 1]))
            throw graph.Invalid($"{OnnxGraph.Describe(node)} is not a {layer.kernel_size[0]}x{layer.kernel_size[1]} max pool");
        side = OutputSide(graph, node, side, layer.kernel_size, layer.stride, layer.padding);
    }

    /// <summary>
    /// The side after a window operation, checked against the layer's. ONNX pads are [top, left, bottom, right];
    /// torch pads both ends alike. The top and left pads must equal the layer's (they fix where every window
    /// sits); a smaller bottom or right pad only matters if it changes how many windows fit, which is checked.
    /// </summary>
    private static int OutputSide(OnnxGraph graph, NodeProto node, int side, long[] kernel, long[] stride, long[] padding)
    {
        var autoPad = graph.Text(node, "auto_pad", "NOTSET");
        var pads = graph.Ints(node, "pads", [0, 0, 0, 0]);
        var strides = graph.Ints(node, "strides", [1, 1]);
        if (autoPad is not ("NOTSET" or "") || pads.Length != 4 || !strides.SequenceEqual(stride) || pads[0] != padding[0] || pads[1] != padding[1]
            || kernel[0] != kernel[1] || stride[0] != stride[1] || pads[0] != pads[1] || pads[2] != pads[3])
            throw graph.Invalid($"{OnnxGraph.Describe(node)}: strides [{string.Join(", ", strides)}], pads [{string.Join(", ", pads)}], auto_pad '{autoPad}' " +
                                $"do not match the layer's stride {stride[0]} and padding {padding[0]}");
        var graphSide = (side + pads[0] + pads[2] - kernel[0]) / stride[0] + 1;
        var torchSide = (side + 2 * padding[0] - kernel[0]) / stride[0] + 1;
        if (graphSide != torchSide)
            throw graph.Invalid($"{OnnxGraph.Describe(node)} gives {graphSide}x{graphSide} from {side}x{side}; the layer gives {torchSide}x{torchSide}");
        return (int)graphSide;
    }

    private static void Assign(OnnxGraph graph, Tensor target, long[] dims, float[] values, string what, int[]? channelOrder = null)
    {
        if (!dims.SequenceEqual(target.shape))
            throw graph.Invalid($"{what} are [{string.Join(", ", dims)}]; the layer's are [{string.Join(", ", target.shape)}]");
        using var source = tensor(values, dims);
        if (channelOrder is null)
        {
            target.copy_(source);
            return;
        }
        // Input channel c of the backbone is the graph's channel j with channelOrder[j] == c.
        var graphChannel = new long[channelOrder.Length];
        for (var j = 0; j < channelOrder.Length; j++) graphChannel[channelOrder[j]] = j;
        using var index = tensor(graphChannel);
        using var reordered = source.index_select(1, index);
        target.copy_(reordered);
    }

    private static int RequireImage(OnnxGraph graph, long[] dims)
    {
        if (dims.Length != 4 || dims[1] != ImageChannels || dims[2] != dims[3] || dims[2] < 1)
            throw graph.Invalid($"expected a square RGB image input [N, 3, side, side], found [{string.Join(", ", dims)}]");
        return (int)dims[2];
    }
}

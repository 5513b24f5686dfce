using System.Runtime.InteropServices;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Networks;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Export;

/// <summary>
/// Builds an ONNX graph (opset <see cref="OpsetVersion"/>) layer by layer from TorchSharp modules in eval mode: each
/// layer type has its one translation (<see cref="Layer"/>), its parameters copied into the graph as initializers.
/// Tensors are NCHW float32 throughout, as ONNX's operators define them.
/// </summary>
internal sealed class OnnxGraphWriter
{
    public const int OpsetVersion = 13;
    // ONNX's IR version 7 is the one that introduced opset 13.
    private const long IrVersion = 7;
    private const string BatchDimension = "N";

    private readonly GraphProto graph;
    private readonly Dictionary<string, int> used = new(StringComparer.Ordinal);

    public OnnxGraphWriter(string name) => graph = new GraphProto { Name = name };

    /// <summary>The graph's input: float [N, 3, H, W].</summary>
    public string Input(string name, ImageSize size)
    {
        graph.Input.Add(ValueInfo(name, [null, 3, size.Height, size.Width]));
        return name;
    }

    /// <summary>Declares <paramref name="tensor"/> (float [N]) as the graph's output <paramref name="name"/>.</summary>
    public void Output(string tensor, string name)
    {
        graph.Node.Add(Node("Identity", [tensor], name));
        graph.Output.Add(ValueInfo(name, [null]));
    }

    /// <summary>One layer applied to <paramref name="x"/>; returns its output's name.</summary>
    /// <exception cref="NotSupportedException">A layer type (or setting) this writer does not translate.</exception>
    public string Layer(string x, nn.Module layer) => layer switch
    {
        ConvBatchNormRelu block => Relu(BatchNorm(Conv(x, block.Convolution), block.Normalisation)),
        ResNetBasicBlock block => BasicBlock(x, block),
        Conv2d conv => Conv(x, conv),
        BatchNorm2d norm => BatchNorm(x, norm),
        ReLU => Relu(x),
        MaxPool2d pool => MaxPool(x, pool),
        AdaptiveAvgPool2d pool when pool.output_size.All(side => side == 1) => Add("GlobalAveragePool", [x]),
        Flatten flatten when flatten.start_dim == 1 && flatten.end_dim == -1 => Add("Flatten", [x], Int("axis", 1)),
        Linear dense => Add("Gemm", [x, Constant("weight", dense.weight!), dense.bias is null ? "" : Constant("bias", dense.bias)], Int("transB", 1)),
        _ => throw new NotSupportedException($"The ONNX export does not translate layer {layer.GetType().Name} ('{layer.GetName()}')."),
    };

    public string Conv(string x, Conv2d conv)
    {
        if (conv.padding_type is { } padding && padding != Padding.Valid)
            throw new NotSupportedException($"The ONNX export does not translate convolution padding '{padding}'.");
        if (conv.padding_mode != PaddingModes.Zeros)
            throw new NotSupportedException($"The ONNX export does not translate convolution padding mode '{conv.padding_mode}'.");
        var pads = conv.padding_type is null && conv.padding is { } explicitPads ? explicitPads : [0L, 0L];
        return Add("Conv", [x, Constant("weight", conv.weight!), conv.bias is null ? "" : Constant("bias", conv.bias)],
            Ints("kernel_shape", conv.kernel_size), Ints("strides", conv.stride), Ints("pads", [.. pads, .. pads]),
            Ints("dilations", conv.dilation), Int("group", conv.groups));
    }

    /// <summary>ResNet's basic block: two convolution-normalisation pairs, the shortcut (projected or not) added, ReLU.</summary>
    public string BasicBlock(string x, ResNetBasicBlock block)
    {
        var y = Relu(BatchNorm(Conv(x, block.Conv1), block.Norm1));
        y = BatchNorm(Conv(y, block.Conv2), block.Norm2);
        var shortcut = block.ShortcutConv is { } projection ? BatchNorm(Conv(x, projection), block.ShortcutNorm!) : x;
        return Relu(Add("Add", [y, shortcut]));
    }

    /// <summary>x * <paramref name="scale"/> - <paramref name="offset"/> (a constant the shape of one image, broadcast over the batch).</summary>
    public string Normalise(string x, float scale, Tensor offset) =>
        Add("Sub", [Add("Mul", [x, ScalarConstant("scale", scale)]), Constant("offset", offset)]);

    public string BatchNorm(string x, BatchNorm2d norm) => Add("BatchNormalization",
        [x, Constant("scale", norm.weight!), Constant("bias", norm.bias!), Constant("mean", norm.running_mean!), Constant("var", norm.running_var!)],
        Float("epsilon", (float)norm.eps));

    public string Relu(string x) => Add("Relu", [x]);

    public string Sigmoid(string x) => Add("Sigmoid", [x]);

    /// <summary>[N, 1] (or any shape) to [N].</summary>
    public string ToVector(string x) => Add("Reshape", [x, Int64Constant("shape", [-1])]);

    /// <summary>
    /// Images [N, C, H, W] followed by their mirror images (the width reversed) as one batch [2N, C, H, W]: one pass of the
    /// network scores both, as <see cref="Models.NetworkInference.Forward"/> does with two.
    /// </summary>
    public string WithMirrorImages(string x)
    {
        var mirrored = Add("Slice", [x, Int64Constant("starts", [-1]), Int64Constant("ends", [long.MinValue]), Int64Constant("axes", [3]), Int64Constant("steps", [-1])]);
        return Add("Concat", [x, mirrored], Int("axis", 0));
    }

    /// <summary>The vector [2N] of <see cref="WithMirrorImages"/>' batch as [N]: each image's value averaged with its mirror's.</summary>
    public string MeanOverMirrorImages(string vector) =>
        Add("ReduceMean", [Add("Reshape", [vector, Int64Constant("shape", [2, -1])])], Ints("axes", [0]), Int("keepdims", 0));

    public string MaxPool(string x, MaxPool2d pool)
    {
        var kernel = pool.kernel_size;
        // TorchSharp leaves stride, padding and dilation null when they were not given: PyTorch's defaults.
        var stride = pool.stride ?? kernel;
        var padding = pool.padding ?? [0, 0];
        return Add("MaxPool", [x], Ints("kernel_shape", kernel), Ints("strides", stride), Ints("pads", [.. padding, .. padding]),
            Ints("dilations", pool.dilation ?? [1, 1]), Int("ceil_mode", pool.ceil_mode ? 1 : 0));
    }

    /// <summary>The whole model, with its metadata (key, value) pairs.</summary>
    public ModelProto Model(string producerVersion, string description, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "EmotionApi",
            ProducerVersion = producerVersion,
            DocString = description,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach (var (key, value) in metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    private string Add(string opType, string[] inputs, params AttributeProto[] attributes)
    {
        var output = Name(opType);
        graph.Node.Add(Node(opType, inputs, output, attributes));
        return output;
    }

    private NodeProto Node(string opType, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Name(opType + "_node") };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    /// <summary>A float32 initializer holding <paramref name="tensor"/>'s values, in its shape.</summary>
    private string Constant(string hint, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var values = tensor.detach().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        var proto = new TensorProto { Name = Name(hint), DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(tensor.shape);
        // raw_data is little-endian by the standard, as the float array is on the platforms .NET runs this on.
        proto.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        graph.Initializer.Add(proto);
        return proto.Name;
    }

    private string ScalarConstant(string hint, float value)
    {
        var proto = new TensorProto { Name = Name(hint), DataType = (int)TensorProto.Types.DataType.Float };
        proto.FloatData.Add(value);
        graph.Initializer.Add(proto);
        return proto.Name;
    }

    private string Int64Constant(string hint, long[] values)
    {
        var proto = new TensorProto { Name = Name(hint), DataType = (int)TensorProto.Types.DataType.Int64 };
        proto.Dims.Add(values.Length);
        proto.Int64Data.AddRange(values);
        graph.Initializer.Add(proto);
        return proto.Name;
    }

    /// <summary>A unique name: the hint, numbered from its second use.</summary>
    private string Name(string hint)
    {
        var count = used.GetValueOrDefault(hint);
        used[hint] = count + 1;
        return count == 0 ? hint : $"{hint}_{count}";
    }

    private static ValueInfoProto ValueInfo(string name, long?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
            shape.Dim.Add(dim is { } value ? new TensorShapeProto.Types.Dimension { DimValue = value } : new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };
}

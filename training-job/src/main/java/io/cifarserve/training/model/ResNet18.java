package io.cifarserve.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ResNet-18 with BasicBlocks, built from DJL blocks, with every parameter also listed under its
 * torchvision name ({@code conv1.weight}, {@code layer1.0.bn1.running_mean}, {@code fc.bias}, ...).
 * That table is what pretrained weights, checkpoints and the ONNX export are keyed by.
 */
public final class ResNet18 {

  /** Residual stages: channels are multiples of the base width, first block's stride. */
  private static final int[] STAGE_MULTIPLIERS = {1, 2, 4, 8};

  private static final int[] STAGE_STRIDES = {1, 2, 2, 2};
  public static final int STAGES = STAGE_MULTIPLIERS.length;
  public static final int BLOCKS_PER_STAGE = 2;
  public static final float BN_EPSILON = 1e-5f;

  /** DJL keeps {@code momentum} of the running mean; PyTorch's momentum 0.1 is DJL's 0.9. */
  public static final float BN_MOMENTUM = 0.9f;

  private final Architecture architecture;
  private final SequentialBlock block = new SequentialBlock();
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();

  /**
   * @param stem the stem variant
   * @param width channels of the first stage (64 in torchvision's ResNet-18)
   * @param classes outputs of the final layer
   */
  public record Architecture(Stem stem, int width, int classes) {

    public static Architecture standard(Stem stem, int classes) {
      return new Architecture(stem, 64, classes);
    }

    /** A short name recorded in model metadata, e.g. {@code resnet18/cifar-stride2/w64}. */
    public String describe() {
      return "resnet18/" + stem.cliName() + "/w" + width;
    }
  }

  public ResNet18(Architecture architecture) {
    this.architecture = architecture;
    Stem stem = architecture.stem();
    int width = architecture.width();
    block.add(conv("conv1", width, stem.kernel(), stem.stride(), stem.padding()));
    block.add(batchNorm("bn1"));
    block.add(Activation.reluBlock());
    if (stem.maxPool()) {
      block.add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
    }
    int inChannels = width;
    for (int s = 0; s < STAGES; s++) {
      int channels = stageChannels(width, s);
      for (int b = 0; b < BLOCKS_PER_STAGE; b++) {
        int stride = blockStride(s, b);
        String prefix = "layer" + (s + 1) + "." + b + ".";
        block.add(basicBlock(prefix, inChannels, channels, stride));
        inChannels = channels;
      }
    }
    block.add(Pool.globalAvgPool2dBlock());
    block.add(Blocks.batchFlattenBlock());
    Linear fc = Linear.builder().setUnits(architecture.classes()).build();
    register("fc.weight", fc, "weight");
    register("fc.bias", fc, "bias");
    block.add(fc);
    // He initialisation (fan-out, ReLU gain) for convolutions, as torchvision does; the head
    // starts small so the first logits are near zero and the first loss near ln(classes).
    block.setInitializer(
        new XavierInitializer(
            XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2),
        Parameter.Type.WEIGHT);
    fc.setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
  }

  /** Output channels of stage {@code s} (0-3). */
  public static int stageChannels(int width, int s) {
    return width * STAGE_MULTIPLIERS[s];
  }

  /** Stride of residual block {@code b} of stage {@code s}: only a stage's first block strides. */
  public static int blockStride(int s, int b) {
    return b == 0 ? STAGE_STRIDES[s] : 1;
  }

  /** Whether a residual block needs a projection shortcut. */
  public static boolean needsDownsample(int inChannels, int channels, int stride) {
    return stride != 1 || inChannels != channels;
  }

  private Block basicBlock(String prefix, int inChannels, int channels, int stride) {
    SequentialBlock main = new SequentialBlock();
    main.add(conv(prefix + "conv1", channels, 3, stride, 1));
    main.add(batchNorm(prefix + "bn1"));
    main.add(Activation.reluBlock());
    main.add(conv(prefix + "conv2", channels, 3, 1, 1));
    main.add(batchNorm(prefix + "bn2"));
    Block shortcut;
    if (needsDownsample(inChannels, channels, stride)) {
      SequentialBlock projection = new SequentialBlock();
      projection.add(conv(prefix + "downsample.0", channels, 1, stride, 0));
      projection.add(batchNorm(prefix + "downsample.1"));
      shortcut = projection;
    } else {
      shortcut = Blocks.identityBlock();
    }
    return new ParallelBlock(
        branches -> {
          NDArray sum = branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow());
          return new NDList(Activation.relu(sum));
        },
        List.of(main, shortcut));
  }

  private Conv2d conv(String name, int filters, int kernel, int stride, int padding) {
    Conv2d conv =
        Conv2d.builder()
            .setFilters(filters)
            .setKernelShape(new Shape(kernel, kernel))
            .optStride(new Shape(stride, stride))
            .optPadding(new Shape(padding, padding))
            .optBias(false)
            .build();
    register(name + ".weight", conv, "weight");
    return conv;
  }

  private BatchNorm batchNorm(String name) {
    BatchNorm bn = BatchNorm.builder().optEpsilon(BN_EPSILON).optMomentum(BN_MOMENTUM).build();
    register(name + ".weight", bn, "gamma");
    register(name + ".bias", bn, "beta");
    register(name + ".running_mean", bn, "runningMean");
    register(name + ".running_var", bn, "runningVar");
    return bn;
  }

  private void register(String torchName, Block owner, String djlName) {
    parameters.put(torchName, owner.getParameters().get(djlName));
  }

  /** Allocates and initialises all parameters for NCHW float input of the given side. */
  public void initialize(NDManager manager, int inputSize) {
    block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, inputSize, inputSize));
  }

  public Architecture architecture() {
    return architecture;
  }

  public Block block() {
    return block;
  }

  /**
   * Parameters by torchvision name, in network order. Those that need no gradient are the
   * batch-norm running statistics.
   */
  public Map<String, Parameter> parameters() {
    return parameters;
  }

  /**
   * Every convolution of the network, in order, with the side of the square feature map it reads
   * when the network is given {@code inputSize}-pixel pictures.
   */
  public List<ConvolutionLayer> convolutions(int inputSize) {
    List<ConvolutionLayer> layers = new ArrayList<>();
    Stem stem = architecture.stem();
    int width = architecture.width();
    ConvolutionLayer first =
        new ConvolutionLayer(
            "conv1", 3, width, stem.kernel(), stem.stride(), stem.padding(), inputSize);
    layers.add(first);
    int side = first.outputSize();
    if (stem.maxPool()) {
      side = (side + 2 - 3) / 2 + 1;
    }
    int inChannels = width;
    for (int s = 0; s < STAGES; s++) {
      int channels = stageChannels(width, s);
      for (int b = 0; b < BLOCKS_PER_STAGE; b++) {
        int stride = blockStride(s, b);
        String prefix = "layer" + (s + 1) + "." + b + ".";
        ConvolutionLayer conv1 =
            new ConvolutionLayer(prefix + "conv1", inChannels, channels, 3, stride, 1, side);
        layers.add(conv1);
        layers.add(
            new ConvolutionLayer(
                prefix + "conv2", channels, channels, 3, 1, 1, conv1.outputSize()));
        if (needsDownsample(inChannels, channels, stride)) {
          layers.add(
              new ConvolutionLayer(
                  prefix + "downsample.0", inChannels, channels, 1, stride, 0, side));
        }
        side = conv1.outputSize();
        inChannels = channels;
      }
    }
    return layers;
  }

  /** Number of scalar parameters, running statistics excluded. */
  public long trainableParameterCount() {
    return parameters.values().stream()
        .filter(Parameter::requiresGradient)
        .mapToLong(p -> p.getArray().size())
        .sum();
  }
}

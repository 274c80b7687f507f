package io.cifarserve.training.model;

/** The first layers of the network, before the four residual stages. */
public enum Stem {
  /** 7x7 convolution, stride 2, then 3x3 max-pool stride 2: ImageNet ResNet-18, 32px -> 8px. */
  IMAGENET("imagenet", 7, 2, true),
  /** 3x3 convolution, stride 1, no pool: the usual CIFAR ResNet-18, 32px stays 32px. */
  CIFAR("cifar", 3, 1, false),
  /** 3x3 convolution, stride 2, no pool: a quarter of the CIFAR stem's work, 32px -> 16px. */
  CIFAR_STRIDE2("cifar-stride2", 3, 2, false);

  private final String cliName;
  private final int kernel;
  private final int stride;
  private final boolean maxPool;

  Stem(String cliName, int kernel, int stride, boolean maxPool) {
    this.cliName = cliName;
    this.kernel = kernel;
    this.stride = stride;
    this.maxPool = maxPool;
  }

  public static Stem fromCliName(String name) {
    for (Stem stem : values()) {
      if (stem.cliName.equalsIgnoreCase(name) || stem.name().equalsIgnoreCase(name)) {
        return stem;
      }
    }
    throw new IllegalArgumentException(
        "unknown stem '" + name + "'; expected imagenet, cifar or cifar-stride2");
  }

  public String cliName() {
    return cliName;
  }

  public int kernel() {
    return kernel;
  }

  public int stride() {
    return stride;
  }

  public int padding() {
    return kernel / 2;
  }

  public boolean maxPool() {
    return maxPool;
  }

  @Override
  public String toString() {
    return cliName;
  }
}

package io.cifarserve.common.model;

/**
 * The tensor names every cifar-serve model uses: the training job writes them and every runner
 * looks them up. Input {@value #INPUT} has shape {@code [N, 3, S, S]}, output {@value #OUTPUT}
 * shape {@code [N, classes]}.
 */
public final class ModelSignature {

  public static final String INPUT = "input";
  public static final String OUTPUT = "logits";

  private ModelSignature() {}
}

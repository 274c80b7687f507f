package io.cifarserve.inference.model;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an unreadable {@code MODEL_PATH} into a start-up failure that says what to set. */
class UnreadableModelLocationFailureAnalyzer
    extends AbstractFailureAnalyzer<UnreadableModelLocationException> {

  @Override
  protected FailureAnalysis analyze(Throwable root, UnreadableModelLocationException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Set MODEL_PATH to a readable .onnx file, a folder of them (a plain path or file:...), or"
            + " a classpath: pattern such as classpath:models/*.onnx (the embedded models).",
        cause);
  }
}

package io.cifarserve.inference.model;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Which served model a request wants ({@code ?model=NAME&version=V}); nulls mean the default model
 * and its latest loaded version.
 */
public record ModelChoice(
    @Schema(description = "Model name; default: the default model") String model,
    @Schema(description = "Model version; default: the latest loaded") String version) {

  public static final ModelChoice DEFAULT = new ModelChoice(null, null);
}

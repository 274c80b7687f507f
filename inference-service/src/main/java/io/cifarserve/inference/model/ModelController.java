package io.cifarserve.inference.model;

import io.cifarserve.common.api.ModelInfo;
import io.cifarserve.common.api.ModelList;
import io.cifarserve.inference.engine.ModelEngine;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Model", description = "The models being served")
public class ModelController {

  private final ModelRegistry registry;

  public ModelController(ModelRegistry registry) {
    this.registry = registry;
  }

  @Operation(summary = "Metadata and model card of a served model, with its test metrics")
  @GetMapping("/api/v1/model")
  public ModelInfo model(
      @Parameter(description = "Model name; default: the default model")
          @RequestParam(required = false)
          String model,
      @Parameter(description = "Model version; default: the latest loaded")
          @RequestParam(required = false)
          String version) {
    return registry.require(model, version).info();
  }

  @Operation(summary = "Every model and version served, and the default model's name")
  @GetMapping("/api/v1/models")
  public ModelList models() {
    return new ModelList(
        registry.defaultName().orElse(null),
        registry.engines().stream().map(ModelEngine::info).toList());
  }
}

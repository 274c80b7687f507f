package io.cifarserve.inference.model;

import io.cifarserve.common.api.ModelInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Model", description = "The model being served")
public class ModelController {

  private final ModelRegistry registry;

  public ModelController(ModelRegistry registry) {
    this.registry = registry;
  }

  @Operation(summary = "Metadata and model card of the served model, with its test metrics")
  @GetMapping("/api/v1/model")
  public ModelInfo model() {
    return registry.require().info();
  }
}

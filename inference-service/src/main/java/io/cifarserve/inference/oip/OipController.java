package io.cifarserve.inference.oip;

import io.cifarserve.inference.model.ModelRegistry;
import io.cifarserve.inference.oip.OipMessages.InferenceRequest;
import io.cifarserve.inference.oip.OipMessages.InferenceResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Open Inference Protocol (KServe v2) REST endpoints. */
@RestController
@RequestMapping("/v2")
@Tag(name = "Open Inference Protocol v2", description = "KServe v2 REST endpoints")
public class OipController {

  private final ModelRegistry models;
  private final OipService service;

  public OipController(ModelRegistry models, OipService service) {
    this.models = models;
    this.service = service;
  }

  @Operation(summary = "Server metadata")
  @GetMapping
  public OipMessages.ServerMetadata server() {
    return new OipMessages.ServerMetadata("cifar-serve", "0.1.0", java.util.List.of());
  }

  @Operation(summary = "Server liveness")
  @GetMapping("/health/live")
  public OipMessages.ServerLive live() {
    return new OipMessages.ServerLive(true);
  }

  @Operation(summary = "Server readiness: 200 once the model is loaded, 503 before")
  @GetMapping("/health/ready")
  public ResponseEntity<OipMessages.ServerReady> ready() {
    boolean ready = models.isReady();
    return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .body(new OipMessages.ServerReady(ready));
  }

  @Operation(summary = "Model readiness")
  @GetMapping({"/models/{name}/ready", "/models/{name}/versions/{version}/ready"})
  public OipMessages.ModelReady modelReady(
      @PathVariable String name, @PathVariable(required = false) String version) {
    return new OipMessages.ModelReady(service.model(name, version).metadata().name(), true);
  }

  @Operation(summary = "Model metadata: inputs and outputs")
  @GetMapping({"/models/{name}", "/models/{name}/versions/{version}"})
  public OipMessages.ModelMetadata modelMetadata(
      @PathVariable String name, @PathVariable(required = false) String version) {
    return service.metadata(service.model(name, version));
  }

  @Operation(summary = "Inference")
  @PostMapping({"/models/{name}/infer", "/models/{name}/versions/{version}/infer"})
  public InferenceResponse infer(
      @PathVariable String name,
      @PathVariable(required = false) String version,
      @RequestBody InferenceRequest request) {
    return service.infer(name, version, request);
  }
}

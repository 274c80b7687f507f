package io.cifarserve.inference.model;

import io.cifarserve.common.api.ModelInfo;
import io.cifarserve.common.onnx.InvalidModelException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Replaces the served model without a restart. The new model is loaded and warmed up first and
 * swapped in atomically; requests in flight finish on the old one; a bad model is refused with 422
 * and the old one keeps serving.
 */
@RestController
@ConditionalOnProperty(
    name = "inference.admin.enabled",
    havingValue = "true",
    matchIfMissing = true)
@Tag(name = "Admin", description = "Model hot reload")
public class ModelAdminController {

  private final ModelRegistry registry;
  private final ModelLoader loader;
  private final AdminProperties properties;

  public ModelAdminController(
      ModelRegistry registry, ModelLoader loader, AdminProperties properties) {
    this.registry = registry;
    this.loader = loader;
    this.properties = properties;
  }

  @Operation(
      summary = "Load the models at the configured location (MODEL_PATH) again",
      description = "Returns the default model after the reload.")
  @PostMapping("/admin/model/reload")
  public ModelInfo reload(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
    authorize(authorization);
    loader.loadConfigured(true);
    return registry.require().info();
  }

  @Operation(summary = "Serve the ONNX model sent as the request body, under its own name")
  @PutMapping(path = "/admin/model", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
  public ModelInfo replace(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestBody byte[] onnx) {
    authorize(authorization);
    return load(onnx, "uploaded via /admin/model", null);
  }

  @Operation(
      summary = "Serve a version of model NAME, sent as the request body",
      description =
          "The model's metadata must name it NAME. It replaces the same version if served, and"
              + " becomes the version requests without one get.")
  @PutMapping(path = "/admin/models/{name}", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
  public ModelInfo upload(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String name,
      @RequestBody byte[] onnx) {
    authorize(authorization);
    return load(onnx, "uploaded via /admin/models/" + name, name);
  }

  @Operation(summary = "Stop serving a model version; requests in flight on it finish first")
  @DeleteMapping("/admin/models/{name}/versions/{version}")
  public ModelInfo unload(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String name,
      @PathVariable String version) {
    authorize(authorization);
    return registry.unload(name, version).info();
  }

  private ModelInfo load(byte[] onnx, String source, String expectedName) {
    try {
      return registry.load(onnx, source, expectedName).info();
    } catch (InvalidModelException e) {
      registry.recordRefused();
      throw e;
    }
  }

  private void authorize(String authorization) {
    String token = properties.token();
    if (token == null || token.isBlank()) {
      return;
    }
    byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    byte[] actual = (authorization == null ? "" : authorization).getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(expected, actual)) {
      throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, "a valid admin token is required");
    }
  }
}

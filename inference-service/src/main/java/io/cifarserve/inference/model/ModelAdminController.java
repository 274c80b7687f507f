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

  @Operation(summary = "Reload the model from its configured location (MODEL_PATH)")
  @PostMapping("/admin/model/reload")
  public ModelInfo reload(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
    authorize(authorization);
    return loader.loadConfigured().info();
  }

  @Operation(summary = "Serve the ONNX model sent as the request body")
  @PutMapping(path = "/admin/model", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
  public ModelInfo replace(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestBody byte[] onnx) {
    authorize(authorization);
    try {
      return registry.load(onnx, "uploaded via /admin/model").info();
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

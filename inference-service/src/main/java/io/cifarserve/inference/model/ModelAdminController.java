package io.cifarserve.inference.model;

import io.cifarserve.classifier.onnx.InvalidModelException;
import io.cifarserve.common.api.ModelInfo;
import io.cifarserve.inference.engine.ModelEngine;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces the served model without a restart. The new model is loaded and warmed up first and
 * swapped in atomically; requests in flight finish on the old one; a bad model is refused with 422
 * and the old one keeps serving.
 */
@RestController
@Conditional(AdminConfigured.class)
@SecurityRequirement(name = "adminToken")
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
  public ModelInfo reload(HttpServletRequest request) {
    authorize(request);
    loader.loadConfigured(true);
    return registry.require().info();
  }

  @Operation(summary = "Serve the ONNX model sent as the request body in place of the default one")
  @PutMapping(path = "/admin/model", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
  public ModelInfo replace(HttpServletRequest request, @RequestBody byte[] onnx) {
    authorize(request);
    // Replaces the default model's engine, as this endpoint always has.
    String source = registry.current().map(ModelEngine::source).orElse("uploaded via /admin/model");
    return load(onnx, source, null);
  }

  @Operation(
      summary = "Serve a version of model NAME, sent as the request body",
      description =
          "The model's metadata must name it NAME. It replaces the same version if served, and"
              + " becomes the version requests without one get.")
  @PutMapping(path = "/admin/models/{name}", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
  public ModelInfo upload(
      HttpServletRequest request, @PathVariable String name, @RequestBody byte[] onnx) {
    authorize(request);
    return load(onnx, "uploaded via /admin/models/" + name, name);
  }

  @Operation(summary = "Stop serving a model version; requests in flight on it finish first")
  @DeleteMapping("/admin/models/{name}/versions/{version}")
  public ModelInfo unload(
      HttpServletRequest request, @PathVariable String name, @PathVariable String version) {
    authorize(request);
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

  private void authorize(HttpServletRequest request) {
    if (properties.hasToken()) {
      String header = request.getHeader(HttpHeaders.AUTHORIZATION);
      if (header == null || header.isBlank()) {
        throw AdminAccessDeniedException.unauthorized(
            "send the admin token as 'Authorization: Bearer <token>'", false);
      }
      int space = header.indexOf(' ');
      String scheme = space < 0 ? header : header.substring(0, space);
      byte[] sent =
          (space < 0 ? "" : header.substring(space + 1).trim()).getBytes(StandardCharsets.UTF_8);
      byte[] expected = properties.token().getBytes(StandardCharsets.UTF_8);
      if (!scheme.toLowerCase(Locale.ROOT).equals("bearer")
          || !MessageDigest.isEqual(expected, sent)) {
        throw AdminAccessDeniedException.unauthorized("the admin token is not valid", true);
      }
      return;
    }
    // No token: local use was asked for explicitly. A browser page on this machine must not be
    // able to use it, so any request that says where it comes from is refused.
    if (!isLoopback(request.getRemoteAddr())
        || request.getHeader(HttpHeaders.ORIGIN) != null
        || "cross-site".equals(request.getHeader("Sec-Fetch-Site"))) {
      throw AdminAccessDeniedException.forbidden(
          "without ADMIN_TOKEN the admin endpoints answer only non-browser requests from this"
              + " machine");
    }
  }

  private static boolean isLoopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}

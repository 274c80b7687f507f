package io.cifarserve.inference.model;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which model to serve and how.
 *
 * @param location {@code classpath:models/*.onnx} for the embedded models (a pattern serves every
 *     match), or a plain path (or {@code file:} URL) to a mounted model file or a folder of them
 *     (every {@code *.onnx} below it, each served under the name and version in its metadata); a
 *     location that cannot be read stops start-up; set with {@code MODEL_PATH}
 * @param defaultName the model requests without {@code model} get; empty: the first name in
 *     alphabetical order; set with {@code DEFAULT_MODEL}
 * @param intraOpThreads ONNX Runtime threads per inference; 0 lets it use every core
 * @param warmupRuns inferences run before the model is reported ready
 * @param watch reload when the model file changes (file locations), or when the registry alias
 *     moves ({@code models:/NAME@ALIAS} locations)
 * @param registryPoll how often a {@code models:/NAME@ALIAS} location asks where the alias points
 * @param registryCache the folder registry models are downloaded into; empty: a folder in the
 *     temporary directory
 */
@ConfigurationProperties("inference.model")
public record ModelProperties(
    @DefaultValue("classpath:models/*.onnx") String location,
    @DefaultValue("0") int intraOpThreads,
    @DefaultValue("2") int warmupRuns,
    @DefaultValue("true") boolean watch,
    String defaultName,
    @DefaultValue("30s") Duration registryPoll,
    String registryCache) {

  /** The folder registry models are downloaded into. */
  public Path registryCacheFolder() {
    return registryCache == null || registryCache.isBlank()
        ? Path.of(System.getProperty("java.io.tmpdir"), "cifar-serve-registry")
        : Path.of(registryCache);
  }
}

package io.cifarserve.inference.model;

import io.cifarserve.mlflow.MlflowClient;
import io.cifarserve.mlflow.MlflowSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model in MLflow's model registry, named {@code models:/NAME@ALIAS} (the version the alias
 * points at now) or {@code models:/NAME/VERSION}. Its {@code model.onnx} is downloaded through the
 * tracking server's artifact proxy into a local cache, once per version; the cache keeps the newest
 * two versions.
 */
final class RegisteredModel {

  static final String PREFIX = "models:/";
  static final String MODEL_FILE = "model.onnx";
  private static final Pattern LOCATION = Pattern.compile("models:/([^/@]+)(?:@([^/@]+)|/(\\d+))");
  private static final int VERSIONS_KEPT = 2;

  private final String location;
  private final String name;
  private final String alias;
  private final String version;
  private final MlflowClient client;
  private final Path cache;
  private static final Logger log = LoggerFactory.getLogger(RegisteredModel.class);

  RegisteredModel(String location, Optional<MlflowSettings> settings, Path cacheRoot) {
    this.location = location;
    Matcher matcher = LOCATION.matcher(location);
    if (!matcher.matches()) {
      throw new UnreadableModelLocationException(
          location, "a registry location is models:/NAME@ALIAS or models:/NAME/VERSION");
    }
    this.name = matcher.group(1);
    this.alias = matcher.group(2);
    this.version = matcher.group(3);
    this.client =
        new MlflowClient(
            settings.orElseThrow(
                () ->
                    new UnreadableModelLocationException(
                        location,
                        "a models:/ location needs MLFLOW_TRACKING_URI, the tracking server"
                            + " whose registry holds it")));
    this.cache = cacheRoot.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  static boolean isRegistryLocation(String location) {
    return location.startsWith(PREFIX);
  }

  /** The version the location names now: the alias's, or the fixed one. */
  String currentVersion() {
    return alias != null ? client.versionByAlias(name, alias).version() : version;
  }

  /** The model file of the version the location names now, downloaded if not cached. */
  Path file() {
    String current = currentVersion();
    Path target = cache.resolve(current).resolve(MODEL_FILE);
    if (!Files.isRegularFile(target)) {
      try {
        Files.createDirectories(target.getParent());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the model cache " + target.getParent(), e);
      }
      String uri = client.downloadUri(name, current);
      log.info("downloading {} version {} from {}", name, current, uri);
      client.downloadArtifact(uri, MODEL_FILE, target);
      prune();
    }
    return target;
  }

  /** Deletes all but the newest versions' files. */
  private void prune() {
    List<Path> versions;
    try (Stream<Path> folders = Files.list(cache)) {
      versions =
          folders
              .filter(f -> f.getFileName().toString().matches("\\d+"))
              .sorted(
                  Comparator.comparingLong((Path f) -> Long.parseLong(f.getFileName().toString()))
                      .reversed())
              .toList();
    } catch (IOException e) {
      return;
    }
    for (Path old : versions.subList(Math.min(VERSIONS_KEPT, versions.size()), versions.size())) {
      try {
        Files.deleteIfExists(old.resolve(MODEL_FILE));
        Files.deleteIfExists(old);
      } catch (IOException e) {
        // still in use or not ours to delete: it stays
      }
    }
  }

  @Override
  public String toString() {
    return location;
  }
}

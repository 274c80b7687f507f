package io.cifarserve.inference.model;

import io.cifarserve.classifier.onnx.InvalidModelException;
import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.inference.engine.BatchingProperties;
import io.cifarserve.inference.engine.InferenceMetrics;
import io.cifarserve.inference.engine.ModelEngine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The models being served, one engine each, keyed by where each came from (a file, or an upload).
 * Loading from a source builds and warms a new engine, then swaps it in atomically for that
 * source's previous engine, which finishes the requests it leased and closes. A model that fails to
 * load is refused and the previous one keeps serving.
 *
 * <p>A request names a model and optionally a version. Without a name it gets the default model
 * ({@code inference.model.default-name}, or the first name in alphabetical order); without a
 * version, the version of that name loaded last.
 */
@Component
public class ModelRegistry implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

  /**
   * What is served: engines by source, and the same engines by model name then load order. Replaced
   * whole on every change, so readers need no lock and requests never sort.
   */
  private record Served(Map<String, ModelEngine> bySource, List<ModelEngine> byName) {

    static Served of(Map<String, ModelEngine> bySource) {
      List<ModelEngine> byName = new ArrayList<>(bySource.values());
      byName.sort(
          Comparator.comparing((ModelEngine e) -> e.metadata().name())
              .thenComparing(ModelEngine::sequence));
      return new Served(Map.copyOf(bySource), List.copyOf(byName));
    }
  }

  private volatile Served served = Served.of(Map.of());

  private final ModelProperties properties;
  private final BatchingProperties batching;
  private final InferenceMetrics metrics;
  private final MultiGauge modelInfo;
  private final MeterRegistry meters;

  public ModelRegistry(
      ModelProperties properties,
      BatchingProperties batching,
      InferenceMetrics metrics,
      MeterRegistry meters) {
    this.properties = properties;
    this.batching = batching;
    this.metrics = metrics;
    this.meters = meters;
    this.modelInfo =
        MultiGauge.builder("inference.model.info")
            .description("The models being served (value 1), labelled with name and version")
            .register(meters);
    metrics.queueDepth(() -> served.byName().stream().mapToInt(ModelEngine::queueDepth).sum());
    Gauge.builder("inference.model.ready", this, registry -> registry.current().isPresent() ? 1 : 0)
        .description("1 when the default model is loaded and serving, else 0 (readiness)")
        .register(meters);
  }

  /** Every engine: the default model's first, then by model name; each name in load order. */
  public List<ModelEngine> engines() {
    String first = defaultName().orElse("");
    List<ModelEngine> all = new ArrayList<>(served.byName());
    all.sort(Comparator.comparing((ModelEngine e) -> !e.metadata().name().equals(first)));
    return all;
  }

  /** The name requests without one get, if any model is loaded. */
  public Optional<String> defaultName() {
    String configured = properties.defaultName();
    if (configured != null && !configured.isBlank()) {
      return Optional.of(configured);
    }
    return served.byName().stream().map(e -> e.metadata().name()).findFirst();
  }

  /** The engine a request for {@code name} (null: the default) and {@code version} gets. */
  public Optional<ModelEngine> find(String name, String version) {
    Optional<String> wanted = name == null ? defaultName() : Optional.of(name);
    return wanted.flatMap(
        n ->
            served.byName().stream()
                .filter(e -> e.metadata().name().equals(n))
                .filter(e -> version == null || e.metadata().version().equals(version))
                .max(Comparator.comparingLong(ModelEngine::sequence)));
  }

  /** The default model's engine, if loaded. */
  public Optional<ModelEngine> current() {
    return find(null, null);
  }

  /**
   * The engine for a name (null: the default) and version (null: the latest), for reading its
   * metadata. To classify, take a {@link #lease}.
   *
   * @throws ModelNotReadyException no model is loaded yet
   * @throws ModelNotFoundException no model of that name and version is served
   */
  public ModelEngine require(String name, String version) {
    if (served.bySource().isEmpty()) {
      throw new ModelNotReadyException();
    }
    return find(name, version).orElseThrow(() -> notFound(name, version));
  }

  public ModelEngine require() {
    return require(null, null);
  }

  private ModelNotFoundException notFound(String name, String version) {
    String served =
        String.join(
            ", ",
            engines().stream()
                .map(e -> e.metadata().name() + " " + e.metadata().version())
                .toList());
    if (name == null) {
      return new ModelNotFoundException(
          "the default model '%s' is not loaded; this server serves: %s"
              .formatted(defaultName().orElse(""), served));
    }
    return new ModelNotFoundException(
        (version == null
                ? "model '%s' is not served here".formatted(name)
                : "model '%s' has no version '%s' here".formatted(name, version))
            + "; this server serves: "
            + served);
  }

  /**
   * A lease on the engine for a name and version (nulls as in {@link #require}): the request's
   * model for as long as it holds the lease, even if a new one is swapped in meanwhile.
   */
  public ModelEngine.Lease lease(String name, String version) {
    while (true) {
      Optional<ModelEngine.Lease> lease = require(name, version).tryLease();
      if (lease.isPresent()) {
        return lease.get();
      }
      // Lost a race with a swap: the engine found was closing; the next lookup finds its successor.
      Thread.onSpinWait();
    }
  }

  public ModelEngine.Lease lease() {
    return lease(null, null);
  }

  /**
   * Loads, checks and warms up a model in a new engine, then serves it in place of the engine that
   * came from the same source and of any other serving the same name and version.
   *
   * @throws InvalidModelException the bytes are not a usable model; what is served stays
   */
  public synchronized ModelEngine load(byte[] onnx, String source) {
    return load(onnx, source, null);
  }

  /**
   * As {@link #load(byte[], String)}, refusing a model whose metadata names another model than
   * {@code expectedName} (when not null).
   */
  public synchronized ModelEngine load(byte[] onnx, String source, String expectedName) {
    OnnxClassifier classifier = OnnxClassifier.load(onnx, properties.intraOpThreads());
    if (expectedName != null && !classifier.metadata().name().equals(expectedName)) {
      String actual = classifier.metadata().name();
      classifier.close();
      throw new InvalidModelException(
          "the model's metadata names it '%s', not '%s'".formatted(actual, expectedName), null);
    }
    ModelEngine candidate;
    try {
      candidate = ModelEngine.start(classifier, source, batching, metrics, properties.warmupRuns());
    } catch (RuntimeException e) {
      throw new InvalidModelException("model from " + source + " failed its warm-up: " + e, e);
    }
    Map<String, ModelEngine> next = new LinkedHashMap<>(served.bySource());
    List<ModelEngine> replaced = new ArrayList<>();
    next.entrySet()
        .removeIf(
            entry -> {
              boolean same =
                  entry.getKey().equals(source)
                      || (entry.getValue().metadata().name().equals(candidate.metadata().name())
                          && entry
                              .getValue()
                              .metadata()
                              .version()
                              .equals(candidate.metadata().version()));
              if (same) {
                replaced.add(entry.getValue());
              }
              return same;
            });
    next.put(source, candidate);
    publish(next);
    meters.counter("inference.model.loads", "outcome", "loaded").increment();
    log.info(
        "serving model {} {} from {} (trained on: {})",
        candidate.metadata().name(),
        candidate.metadata().version(),
        source,
        candidate.metadata().trainingData());
    replaced.forEach(this::close);
    return candidate;
  }

  /** Stops serving a model version; it finishes the requests it leased first. */
  public synchronized ModelEngine unload(String name, String version) {
    ModelEngine engine = require(name, version);
    Map<String, ModelEngine> next = new LinkedHashMap<>(served.bySource());
    next.values().remove(engine);
    publish(next);
    close(engine);
    return engine;
  }

  /** Stops serving every model whose source is not among {@code sources} (a rescanned folder). */
  public synchronized void retainSources(Set<String> sources) {
    Map<String, ModelEngine> next = new LinkedHashMap<>(served.bySource());
    List<ModelEngine> dropped = new ArrayList<>();
    next.entrySet()
        .removeIf(
            entry -> {
              boolean gone = !sources.contains(entry.getKey());
              if (gone) {
                dropped.add(entry.getValue());
              }
              return gone;
            });
    if (!dropped.isEmpty()) {
      publish(next);
      dropped.forEach(this::close);
    }
  }

  /** The sources being served. */
  public Set<String> sources() {
    return served.bySource().keySet();
  }

  private void publish(Map<String, ModelEngine> bySource) {
    served = Served.of(bySource);
    modelInfo.register(
        served.byName().stream()
            .map(
                e ->
                    MultiGauge.Row.of(
                        Tags.of("name", e.metadata().name(), "version", e.metadata().version()), 1))
            .toList(),
        true);
  }

  private void close(ModelEngine engine) {
    engine.close(); // waits for the requests that leased it
    log.info("closed model {} {}", engine.metadata().name(), engine.metadata().version());
  }

  /** Counts a refused model for the metrics. */
  void recordRefused() {
    meters.counter("inference.model.loads", "outcome", "refused").increment();
  }

  @Override
  public synchronized void destroy() {
    List<ModelEngine> all = served.byName();
    served = Served.of(Map.of());
    all.forEach(ModelEngine::close);
  }

  /** Ready when the default model is loaded. */
  public boolean isReady() {
    return current().isPresent();
  }
}

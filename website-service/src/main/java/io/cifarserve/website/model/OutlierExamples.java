package io.cifarserve.website.model;

import io.cifarserve.common.api.BatchPredictionResponse;
import io.cifarserve.common.api.ModelInfo;
import io.cifarserve.common.api.PredictionResponse;
import io.cifarserve.website.backend.InferenceClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * A fixed sample of the pictures of other things the models are evaluated on (made by {@code
 * scripts/ood-examples.sh}), and what a served model answers for each: the model page shows what
 * its "not sure" catches and what it misses. Answers are asked once per model version.
 */
@Component
public class OutlierExamples {

  static final String FOLDER = "static/ood-examples/";
  private static final int MAX_VERSIONS_CACHED = 16;

  /** One sample picture: its file under /ood-examples/, where it came from, and its licence. */
  public record Example(String file, String source, String role, String licence, String credit) {

    /** The copyright holders, shortened for a caption (the whole text is the caption's title). */
    public String shortCredit() {
      return credit.length() <= 60 ? credit : credit.substring(0, 57) + "...";
    }
  }

  /** A sample picture with the model's answer. */
  public record Answer(Example example, String label, double probability, boolean unsure) {}

  private final InferenceClient client;
  private final List<Example> examples = read();
  private final Map<String, List<Answer>> answers = new ConcurrentHashMap<>();

  public OutlierExamples(InferenceClient client) {
    this.client = client;
  }

  /** The sources kept for independent checks (role {@code independent} in the sample). */
  public Set<String> independentSources() {
    return examples.stream()
        .filter(e -> e.role().equals("independent"))
        .map(Example::source)
        .collect(Collectors.toSet());
  }

  /** The sample with the model's answers, grouped by source in the sample's order. */
  public Map<String, List<Answer>> answeredBy(ModelInfo model) {
    String key = model.name() + "@" + model.version();
    if (!answers.containsKey(key) && answers.size() >= MAX_VERSIONS_CACHED) {
      answers.clear();
    }
    List<Answer> all = answers.computeIfAbsent(key, k -> ask(model));
    Map<String, List<Answer>> bySource = new LinkedHashMap<>();
    all.forEach(a -> bySource.computeIfAbsent(a.example().source(), s -> new ArrayList<>()).add(a));
    return bySource;
  }

  private List<Answer> ask(ModelInfo model) {
    List<InferenceClient.Upload> uploads = new ArrayList<>();
    for (Example example : examples) {
      uploads.add(new InferenceClient.Upload(example.file(), bytes(FOLDER + example.file())));
    }
    BatchPredictionResponse response = client.predictBatch(uploads, 1, model.name());
    List<Answer> all = new ArrayList<>();
    for (BatchPredictionResponse.Item item : response.results()) {
      PredictionResponse p = item.prediction();
      if (p != null) {
        all.add(new Answer(examples.get(item.index()), p.label(), p.probability(), p.unsure()));
      }
    }
    return List.copyOf(all);
  }

  private static List<Example> read() {
    String tsv = new String(bytes(FOLDER + "examples.tsv"), StandardCharsets.UTF_8);
    List<Example> rows = new ArrayList<>();
    // file, package, role, licence, copyright, original_path
    for (String line : tsv.lines().skip(1).toList()) {
      String[] cells = line.split("\t", -1);
      rows.add(new Example(cells[0], cells[1], cells[2], cells[3], cells[4]));
    }
    return List.copyOf(rows);
  }

  private static byte[] bytes(String path) {
    try (var in = new ClassPathResource(path).getInputStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("missing " + path, e);
    }
  }
}

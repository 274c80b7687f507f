package io.cifarserve.website.backend;

import io.cifarserve.common.api.ModelInfo;
import io.cifarserve.common.api.ModelList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * The models the inference service serves, for the banner and the model picker every page shows:
 * {@code servedModel} (the chosen one, else the default), {@code models} (the default first) and
 * {@code chosenModel}.
 */
@Component
public class ServedModels {

  private final InferenceClient client;

  public ServedModels(InferenceClient client) {
    this.client = client;
  }

  /**
   * Adds the served models to a page's model, or nothing when the service cannot say.
   *
   * @param chosen the model name the visitor picked, or null for the default
   * @return the chosen (or default) model, for callers that need it too
   */
  public Optional<ModelInfo> addTo(Model model, String chosen) {
    ModelList list;
    try {
      list = client.models();
    } catch (InferenceUnavailableException | InferenceRejectedException e) {
      return Optional.empty();
    }
    String name = chosen != null && !chosen.isBlank() ? chosen : list.defaultModel();
    // Each name's last version listed is the one served for it.
    Optional<ModelInfo> served =
        list.models().stream().filter(m -> m.name().equals(name)).reduce((a, b) -> b);
    served.ifPresent(info -> model.addAttribute("servedModel", info));
    model.addAttribute("models", pickerEntries(list.models()));
    model.addAttribute("chosenModel", served.map(ModelInfo::name).orElse(list.defaultModel()));
    return served;
  }

  /**
   * One entry per model name, in the service's order (the default first), at its served version.
   */
  private static List<ModelInfo> pickerEntries(List<ModelInfo> all) {
    return all.stream()
        .filter(
            m ->
                all.stream()
                        .filter(other -> other.name().equals(m.name()))
                        .reduce((a, b) -> b)
                        .orElseThrow()
                    == m)
        .toList();
  }
}

package io.cifarserve.website.backend;

import io.cifarserve.common.api.ModelInfo;
import io.cifarserve.common.api.ModelList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    // Each name's last version listed is the one served for it; the map keeps the service's order.
    Map<String, ModelInfo> latest = new LinkedHashMap<>();
    list.models().forEach(m -> latest.put(m.name(), m));
    String name = chosen != null && !chosen.isBlank() ? chosen : list.defaultModel();
    Optional<ModelInfo> served = Optional.ofNullable(latest.get(name));
    served.ifPresent(info -> model.addAttribute("servedModel", info));
    model.addAttribute("models", List.copyOf(latest.values()));
    model.addAttribute("chosenModel", served.map(ModelInfo::name).orElse(list.defaultModel()));
    return served;
  }
}

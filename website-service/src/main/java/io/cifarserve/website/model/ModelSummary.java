package io.cifarserve.website.model;

import io.cifarserve.common.api.ModelInfo;
import io.cifarserve.website.predict.InferenceClient;
import io.cifarserve.website.predict.InferenceRejectedException;
import io.cifarserve.website.predict.InferenceUnavailableException;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/** The served model's headline facts, for the banner every page shows. */
@Component
public class ModelSummary {

  private final InferenceClient client;

  public ModelSummary(InferenceClient client) {
    this.client = client;
  }

  public Optional<ModelInfo> current() {
    try {
      return Optional.of(client.model());
    } catch (InferenceUnavailableException | InferenceRejectedException e) {
      return Optional.empty();
    }
  }

  /**
   * Adds {@code servedModel} (or nothing, when the service cannot say) to a page's model.
   *
   * @return what was added, for callers that need the model too
   */
  public Optional<ModelInfo> addTo(Model model) {
    Optional<ModelInfo> info = current();
    info.ifPresent(i -> model.addAttribute("servedModel", i));
    return info;
  }
}

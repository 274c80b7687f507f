package io.cifarserve.website.predict;

import io.cifarserve.common.api.ModelInfo;
import io.cifarserve.website.model.ModelSummary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/** The home page: an upload form, and the predictions for what was uploaded. */
@Controller
public class PredictionPageController {

  private final PredictionPageService predictions;
  private final ModelSummary models;

  public PredictionPageController(PredictionPageService predictions, ModelSummary models) {
    this.predictions = predictions;
    this.models = models;
  }

  @GetMapping("/")
  public String home(Model model) {
    models.addTo(model);
    return "index";
  }

  @PostMapping("/predict")
  public String predict(
      @RequestParam(name = "files", required = false) List<MultipartFile> files, Model model)
      throws IOException {
    Optional<ModelInfo> served = models.addTo(model);
    List<InferenceClient.Upload> uploads = new ArrayList<>();
    for (MultipartFile file : files == null ? List.<MultipartFile>of() : files) {
      if (!file.isEmpty()) {
        uploads.add(new InferenceClient.Upload(file.getOriginalFilename(), file.getBytes()));
      }
    }
    if (uploads.isEmpty()) {
      model.addAttribute("error", "Choose at least one picture to classify.");
      return "index";
    }
    model.addAttribute("results", predictions.predict(uploads, served));
    return "index";
  }
}

package io.cifarserve.website.predict;

import io.cifarserve.website.backend.InferenceClient;
import io.cifarserve.website.backend.ServedModels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/** The home page: an upload form with a model picker, and the predictions for what was uploaded. */
@Controller
public class PredictionPageController {

  private final PredictionPageService predictions;
  private final ServedModels models;

  public PredictionPageController(PredictionPageService predictions, ServedModels models) {
    this.predictions = predictions;
    this.models = models;
  }

  @GetMapping("/")
  public String home(@RequestParam(name = "model", required = false) String chosen, Model model) {
    models.addTo(model, chosen);
    return "index";
  }

  @PostMapping("/predict")
  public String predict(
      @RequestParam(name = "files", required = false) List<MultipartFile> files,
      @RequestParam(name = "model", required = false) String chosen,
      Model model)
      throws IOException {
    models.addTo(model, chosen);
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
    model.addAttribute(
        "results",
        predictions.predict(uploads, chosen == null || chosen.isBlank() ? null : chosen));
    return "index";
  }
}

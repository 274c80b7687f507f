package io.cifarserve.inference.explain;

import io.cifarserve.common.api.ExplanationResponse;
import io.cifarserve.inference.model.ModelChoice;
import io.cifarserve.inference.upload.UploadReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/v1/explain")
@Tag(name = "Explanation", description = "Why the model answered what it did")
public class ExplanationController {

  private final ExplanationService explanations;
  private final UploadReader reader;

  public ExplanationController(ExplanationService explanations, UploadReader reader) {
    this.explanations = explanations;
    this.reader = reader;
  }

  @Operation(
      summary = "Classify one picture (multipart field 'file') and map what the answer rests on",
      description =
          "The prediction, an occlusion-sensitivity map for the predicted class (or for 'label'),"
              + " and the 32x32 picture the model actually classified, as a PNG.")
  @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  public ExplanationResponse explainMultipart(
      @RequestParam("file") MultipartFile file,
      @RequestParam(defaultValue = "3") @Min(1) @Max(10) int k,
      @Parameter(description = "Class to explain; default: the predicted one")
          @RequestParam(required = false)
          String label,
      @ParameterObject ModelChoice choice)
      throws IOException {
    return explanations.explain(file.getBytes(), k, label, choice);
  }

  @Operation(summary = "As above, with the picture as the raw request body (Content-Type image/*)")
  @PostMapping(consumes = {"image/*", MediaType.APPLICATION_OCTET_STREAM_VALUE})
  public ExplanationResponse explainRaw(
      HttpServletRequest request,
      @RequestParam(defaultValue = "3") @Min(1) @Max(10) int k,
      @RequestParam(required = false) String label,
      @ParameterObject ModelChoice choice) {
    return explanations.explain(reader.read(request), k, label, choice);
  }
}

package io.cifarserve.inference.predict;

import io.cifarserve.common.api.BatchPredictionResponse;
import io.cifarserve.common.api.PredictionResponse;
import io.cifarserve.inference.model.ModelChoice;
import io.cifarserve.inference.upload.PayloadTooLargeException;
import io.cifarserve.inference.upload.UploadProperties;
import io.cifarserve.inference.upload.UploadReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/v1/predict")
@Tag(name = "Prediction", description = "Classify pictures into the model's classes")
public class PredictionController {

  private final PredictionService predictions;
  private final UploadProperties uploads;
  private final UploadReader reader;

  public PredictionController(
      PredictionService predictions, UploadProperties uploads, UploadReader reader) {
    this.predictions = predictions;
    this.uploads = uploads;
    this.reader = reader;
  }

  @Operation(
      summary = "Classify one picture sent as multipart field 'file'",
      responses = {
        @ApiResponse(responseCode = "200", description = "The prediction"),
        @ApiResponse(
            responseCode = "413",
            description = "File over the size limit",
            content = @Content(mediaType = "application/problem+json")),
        @ApiResponse(
            responseCode = "415",
            description = "Not a PNG, JPEG, BMP or GIF",
            content = @Content(mediaType = "application/problem+json")),
        @ApiResponse(
            responseCode = "422",
            description = "Corrupt image or too many pixels",
            content = @Content(mediaType = "application/problem+json")),
        @ApiResponse(
            responseCode = "503",
            description = "Model loading or service overloaded; see Retry-After",
            content = @Content(mediaType = "application/problem+json"))
      })
  @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  public PredictionResponse predictMultipart(
      @RequestParam("file") MultipartFile file,
      @RequestParam(defaultValue = "3") @Min(1) @Max(10) int k,
      @ParameterObject ModelChoice choice)
      throws IOException {
    return predictions.predict(file.getBytes(), k, choice);
  }

  @Operation(summary = "Classify one picture sent as the raw request body (Content-Type image/*)")
  @PostMapping(consumes = {"image/*", MediaType.APPLICATION_OCTET_STREAM_VALUE})
  public PredictionResponse predictRaw(
      HttpServletRequest request,
      @Parameter(description = "How many classes to list")
          @RequestParam(defaultValue = "3")
          @Min(1)
          @Max(10)
          int k,
      @ParameterObject ModelChoice choice) {
    return predictions.predict(reader.read(request), k, choice);
  }

  @Operation(
      summary = "Classify several pictures sent as multipart fields 'files'",
      description =
          "One result per file, in order. A file that is not a usable image gets an error entry;"
              + " the others are still classified.")
  @PostMapping(path = "/batch", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  public BatchPredictionResponse predictBatch(
      @RequestParam("files") @Schema(description = "The pictures") List<MultipartFile> files,
      @RequestParam(defaultValue = "3") @Min(1) @Max(10) int k,
      @ParameterObject ModelChoice choice)
      throws IOException {
    if (files.size() > uploads.maxBatchFiles()) {
      throw new PayloadTooLargeException(
          "the request carries %d files; the limit is %d per batch"
              .formatted(files.size(), uploads.maxBatchFiles()));
    }
    List<PredictionService.NamedImage> images = new ArrayList<>();
    for (MultipartFile file : files) {
      // Parts wait on disk; each is read only when its turn to be decoded comes.
      images.add(new PredictionService.NamedImage(file.getOriginalFilename(), () -> bytesOf(file)));
    }
    return predictions.predictBatch(images, k, choice);
  }

  private static byte[] bytesOf(MultipartFile file) {
    try {
      return file.getBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.cifarserve.website.web;

import io.cifarserve.website.backend.InferenceRejectedException;
import io.cifarserve.website.backend.InferenceUnavailableException;
import io.cifarserve.website.backend.ServedModels;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/** Problems become a message on the upload page, never a stack trace. */
@ControllerAdvice
public class PageExceptionHandler {

  private final ServedModels models;
  private final MeterRegistry meters;
  private final DataSize maxFileSize;

  public PageExceptionHandler(
      ServedModels models,
      MeterRegistry meters,
      @Value("${spring.servlet.multipart.max-file-size}") DataSize maxFileSize) {
    this.models = models;
    this.meters = meters;
    this.maxFileSize = maxFileSize;
  }

  @ExceptionHandler(MaxUploadSizeExceededException.class)
  @ResponseStatus(HttpStatus.CONTENT_TOO_LARGE)
  String tooLarge(Model model) {
    return page(
        model,
        "too-large",
        "That file is too large. Pictures up to %d MB are accepted."
            .formatted(maxFileSize.toMegabytes()));
  }

  @ExceptionHandler(MultipartException.class)
  @ResponseStatus(HttpStatus.BAD_REQUEST)
  String badUpload(Model model) {
    return page(model, "bad-upload", "The upload could not be read. Please try again.");
  }

  @ExceptionHandler(InferenceUnavailableException.class)
  @ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
  String unavailable(InferenceUnavailableException e, Model model) {
    return page(model, "backend-unavailable", e.getMessage());
  }

  @ExceptionHandler(InferenceRejectedException.class)
  @ResponseStatus(HttpStatus.BAD_REQUEST)
  String rejected(InferenceRejectedException e, Model model) {
    return page(model, "rejected", "The pictures were refused: " + e.getMessage());
  }

  private String page(Model model, String type, String message) {
    meters.counter("website.upload.errors", "type", type).increment();
    models.addTo(model, null);
    model.addAttribute("error", message);
    return "index";
  }
}

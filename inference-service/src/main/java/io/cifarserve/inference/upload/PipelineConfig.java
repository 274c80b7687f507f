package io.cifarserve.inference.upload;

import io.cifarserve.classifier.pipeline.ImagePipeline;
import io.cifarserve.inference.admission.DecodingBudget;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The service's one picture pipeline: the upload's pixel limit, the shared decoding budget. */
@Configuration(proxyBeanMethods = false)
class PipelineConfig {

  @Bean
  ImagePipeline imagePipeline(UploadProperties uploads, DecodingBudget budget) {
    return new ImagePipeline(uploads.maxPixels(), budget);
  }
}

package io.cifarserve.inference.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class OpenApiConfig {

  @Bean
  OpenAPI inferenceApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("cifar-serve inference API")
                .version("v1")
                .description(
                    "Classifies pictures with the served ONNX model. GET /api/v1/model says what"
                        + " the model was trained on and how accurate it measured. Errors are RFC"
                        + " 9457 problem details."));
  }
}

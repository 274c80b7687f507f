package io.cifarserve.inference.web;

import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
@SecurityScheme(
    name = "adminToken",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description =
        "ADMIN_TOKEN. The /admin endpoints exist only when it is set (or when"
            + " ADMIN_LOCAL_WITHOUT_TOKEN allows loopback use).")
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

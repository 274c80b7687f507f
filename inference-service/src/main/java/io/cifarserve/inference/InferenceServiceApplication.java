package io.cifarserve.inference;

import io.cifarserve.common.service.YamlPropertySourceFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.PropertySource;

@SpringBootApplication
@ConfigurationPropertiesScan
@PropertySource(
    value = "classpath:inference-service.yml",
    factory = YamlPropertySourceFactory.class)
public class InferenceServiceApplication {

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    SpringApplication.run(InferenceServiceApplication.class, args);
  }
}

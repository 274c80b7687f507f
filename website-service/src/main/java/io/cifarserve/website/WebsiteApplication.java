package io.cifarserve.website;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class WebsiteApplication {

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    SpringApplication.run(WebsiteApplication.class, args);
  }
}

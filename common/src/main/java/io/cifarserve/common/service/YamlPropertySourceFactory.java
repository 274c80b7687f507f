package io.cifarserve.common.service;

import java.util.Properties;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.support.EncodedResource;
import org.springframework.core.io.support.PropertySourceFactory;

/**
 * Lets {@code @PropertySource} read YAML. Each service keeps its settings in its own file ({@code
 * inference-service.yml}, {@code website-service.yml}) rather than {@code application.yml}, so both
 * services can run in one JVM (tests) without one reading the other's configuration.
 */
public class YamlPropertySourceFactory implements PropertySourceFactory {

  @Override
  public PropertySource<?> createPropertySource(String name, EncodedResource resource) {
    YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
    yaml.setResources(resource.getResource());
    Properties properties = yaml.getObject();
    String sourceName = name != null ? name : resource.getResource().getFilename();
    return new PropertiesPropertySource(sourceName, properties);
  }
}

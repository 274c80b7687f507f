package io.cifarserve.website.predict;

import io.cifarserve.website.backend.InferenceClient;
import io.cifarserve.website.backend.InferenceProperties;
import io.cifarserve.website.backend.PageDeadline;
import io.cifarserve.website.backend.ServedModels;
import io.cifarserve.website.model.ModelPageController;
import io.cifarserve.website.model.OutlierExamples;
import io.cifarserve.website.web.PageExceptionHandler;
import io.cifarserve.website.web.SecurityHeadersFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The page controllers with the real client, service and error pages, and no mocks: subclasses
 * point {@code website.inference.url} at a real inference service or a real failing server.
 */
@WebMvcTest({PredictionPageController.class, ModelPageController.class})
@Import({
  PredictionPageService.class,
  InferenceClient.class,
  ServedModels.class,
  OutlierExamples.class,
  PageDeadline.class,
  PageExceptionHandler.class,
  SecurityHeadersFilter.class,
  SimpleMeterRegistry.class
})
@ImportAutoConfiguration(RestClientAutoConfiguration.class)
@EnableConfigurationProperties(InferenceProperties.class)
abstract class PageSliceTest {

  @Autowired protected MockMvc mvc;
}

package io.cifarserve.inference.web;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/** Makes Tomcat's own error answers problem+json too ({@link ProblemErrorReportValve}). */
@Component
class TomcatProblemResponses implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    TomcatContextCustomizer valve =
        context -> {
          // The host is set (Spring Boot adds the context to it first) and not yet started.
          if (context.getParent() instanceof StandardHost host) {
            host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
          }
        };
    factory.addContextCustomizers(valve);
  }
}

package io.cifarserve.inference.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.inference.support.HttpTestClient;
import io.cifarserve.inference.support.HttpTestClient.Response;
import io.cifarserve.inference.support.RunningServiceTest;
import io.cifarserve.inference.support.TestModelFiles;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Nothing that changes what is served is reachable without credentials. */
class AdminSecurityTest {

  private static final byte[] INTRUDER = TestModelFiles.version("intruder");

  /** The defaults, as the README's run command starts the service. */
  @Nested
  class ByDefault extends RunningServiceTest {

    @Test
    void theAdminEndpointsDoNotExist() {
      assertThat(client.put("/admin/model", "application/octet-stream", INTRUDER).status())
          .isEqualTo(404);
      assertThat(client.put("/admin/models/x", "application/octet-stream", INTRUDER).status())
          .isEqualTo(404);
      assertThat(
              client
                  .post("/admin/model/reload", "application/x-www-form-urlencoded", new byte[0])
                  .status())
          .isEqualTo(404);
      assertThat(client.delete("/admin/models/x/versions/1").status()).isEqualTo(404);
      assertThat(client.get("/api/v1/model").json().get("version").asString())
          .isNotEqualTo("intruder");
    }
  }

  @Nested
  @TestPropertySource(properties = "inference.admin.token=" + HttpTestClient.ADMIN_TOKEN)
  class WithAToken extends RunningServiceTest {

    @Test
    void refusesMissingAndWrongTokensWithABearerChallenge() {
      Response none = client.put("/admin/model", "application/octet-stream", INTRUDER);
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.header("WWW-Authenticate")).startsWith("Bearer realm=");
      assertThat(none.header("Content-Type")).contains("application/problem+json");
      assertThat(none.json().get("detail").asString()).contains("Authorization: Bearer");

      Response wrong =
          client
              .withHeader("Authorization", "Bearer not-the-token")
              .put("/admin/model", "application/octet-stream", INTRUDER);
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.header("WWW-Authenticate")).contains("error=\"invalid_token\"");

      Response basic =
          client
              .withHeader("Authorization", "Basic " + HttpTestClient.ADMIN_TOKEN)
              .post("/admin/model/reload", "application/json", new byte[0]);
      assertThat(basic.status()).isEqualTo(401);
      assertThat(client.get("/api/v1/model").json().get("version").asString())
          .isNotEqualTo("intruder");
    }

    @Test
    void acceptsTheTokenWhateverTheCaseOfTheScheme() {
      Response lower =
          client
              .withHeader("Authorization", "bearer " + HttpTestClient.ADMIN_TOKEN)
              .post("/admin/model/reload", "application/json", new byte[0]);
      assertThat(lower.status()).as(lower.body()).isEqualTo(200);
      Response upper =
          client
              .withHeader("Authorization", "BEARER " + HttpTestClient.ADMIN_TOKEN)
              .post("/admin/model/reload", "application/json", new byte[0]);
      assertThat(upper.status()).isEqualTo(200);
    }
  }

  @Nested
  @TestPropertySource(properties = "inference.admin.local-without-token=true")
  class LocalWithoutAToken extends RunningServiceTest {

    @Test
    void answersThisMachineButNeverABrowsersCrossOriginRequest() {
      Response fromAPage =
          client
              .withHeader("Origin", "http://evil.example")
              .post("/admin/model/reload", "application/x-www-form-urlencoded", new byte[0]);
      assertThat(fromAPage.status()).isEqualTo(403);

      assertThat(client.post("/admin/model/reload", "application/json", new byte[0]).status())
          .isEqualTo(200);
    }
  }
}

package io.cifarserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped alerting rules parse ({@code promtool check rules}) and each alert fires on the
 * synthetic series of {@code monitoring/alerts-test.yml}, and stays quiet on healthy ones ({@code
 * promtool test rules}).
 */
class AlertRulesTest {

  private static final File PROMTOOL = new File("/usr/bin/promtool");
  private static final Path MONITORING = Path.of("..", "monitoring").toAbsolutePath().normalize();

  @BeforeAll
  static void needsPromtool() {
    if (System.getenv("CI") != null) {
      assertThat(PROMTOOL).as("CI installs the prometheus package").exists();
    }
    Assumptions.assumeTrue(PROMTOOL.canExecute(), "promtool not installed");
  }

  private static String promtool(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = PROMTOOL.getPath();
    System.arraycopy(args, 0, command, 1, args.length);
    Process process =
        new ProcessBuilder(command)
            .directory(MONITORING.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void theRulesParse() throws Exception {
    assertThat(promtool("check", "rules", "alerts.yml")).contains("SUCCESS: 13 rules found");
  }

  @Test
  void eachAlertFiresOnItsSymptomAndNotOnHealthySeries() throws Exception {
    assertThat(promtool("test", "rules", "alerts-test.yml")).contains("SUCCESS");
  }
}

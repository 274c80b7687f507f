package io.cifarserve.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.benchmarks.http.ServiceUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceUnderTestTest {

  @TempDir Path dir;

  @Test
  void theServiceGetsTheMemorySettingsRunShReads() throws Exception {
    Path env = dir.resolve("memory.env");
    Files.writeString(env, "# a comment\nINFERENCE_HEAP=-Xmx768m\nMALLOC_ARENA_MAX=2\n");

    assertThat(ServiceUnderTest.memorySettings(env))
        .isEqualTo(Map.of("JAVA_TOOL_OPTIONS", "-Xmx768m", "MALLOC_ARENA_MAX", "2"));
  }

  @Test
  void theRepositorysMemorySettingsNameTheHeap() throws Exception {
    assertThat(ServiceUnderTest.memorySettings(Path.of("..", "dockerfiles", "memory.env")))
        .containsKey("JAVA_TOOL_OPTIONS");
  }
}

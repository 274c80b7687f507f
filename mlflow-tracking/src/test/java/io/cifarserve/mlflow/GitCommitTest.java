package io.cifarserve.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GitCommitTest {

  @Test
  void theEnvironmentVariableWinsOverGit() {
    assertThat(GitCommit.of(" 0123abc\n", "git")).isEqualTo("0123abc");
  }

  @Test
  void withoutItTheRepositoryOfTheWorkingFolderIsAsked() {
    // Tests run inside this project's checkout.
    assertThat(GitCommit.of(null, "git")).matches("[0-9a-f]{40}");
    assertThat(GitCommit.of(" ", "git")).matches("[0-9a-f]{40}");
  }

  @Test
  void withoutGitItIsUnknown() {
    assertThat(GitCommit.of(null, "/nonexistent/git")).isEqualTo(GitCommit.UNKNOWN);
  }
}

package io.cifarserve.mlflow;

import java.util.LinkedHashMap;
import java.util.Map;

/** The system tags MLflow's UI reads to show where a run came from. */
public final class StandardTags {

  public static final String PARENT_RUN_ID = "mlflow.parentRunId";

  private StandardTags() {}

  /**
   * @param source the command, such as {@code training-job train}
   * @param gitCommit the code's commit, or "unknown"
   */
  public static Map<String, String> of(String source, String gitCommit) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("mlflow.source.name", source);
    tags.put("mlflow.source.type", "JOB");
    tags.put("mlflow.user", System.getProperty("user.name", "unknown"));
    if (gitCommit != null && !gitCommit.equals("unknown")) {
      tags.put("mlflow.source.git.commit", gitCommit);
    }
    return tags;
  }
}

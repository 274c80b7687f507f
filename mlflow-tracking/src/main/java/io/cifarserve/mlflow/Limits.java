package io.cifarserve.mlflow;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an MLflow server accepts in one log-batch request and in one value; longer values are cut
 * rather than refused, so that a long option (a path, say) never loses the whole batch.
 */
final class Limits {

  static final int METRICS_PER_BATCH = 1000;
  static final int PARAMS_PER_BATCH = 100;
  static final int TAGS_PER_BATCH = 100;
  static final int KEY_LENGTH = 250;
  static final int PARAM_VALUE_LENGTH = 6000;
  static final int TAG_VALUE_LENGTH = 5000;

  private Limits() {}

  static Map<String, String> params(Map<String, String> params) {
    return cut(params, PARAM_VALUE_LENGTH);
  }

  static Map<String, String> tags(Map<String, String> tags) {
    return cut(tags, TAG_VALUE_LENGTH);
  }

  private static Map<String, String> cut(Map<String, String> values, int valueLength) {
    Map<String, String> cut = new LinkedHashMap<>();
    values.forEach(
        (key, value) ->
            cut.put(
                key.length() > KEY_LENGTH ? key.substring(0, KEY_LENGTH) : key,
                value.length() > valueLength ? value.substring(0, valueLength) : value));
    return cut;
  }
}

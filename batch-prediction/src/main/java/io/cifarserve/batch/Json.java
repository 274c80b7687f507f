package io.cifarserve.batch;

import tools.jackson.databind.json.JsonMapper;

/** The one JSON configuration for prediction lines and summaries. */
final class Json {

  private Json() {}

  static JsonMapper mapper() {
    return JsonMapper.builder().build();
  }
}

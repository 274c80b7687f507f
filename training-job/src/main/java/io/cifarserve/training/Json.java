package io.cifarserve.training;

import tools.jackson.databind.json.JsonMapper;

/** The one JSON configuration for run files. */
final class Json {

  private Json() {}

  static JsonMapper mapper() {
    return JsonMapper.builder().build();
  }
}

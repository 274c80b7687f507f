package io.cifarserve.common.api;

import java.util.List;

/**
 * The models a server serves ({@code GET /api/v1/models}): the name requests without {@code model}
 * get, and every loaded version, by name and then in load order (the last of a name is the one
 * requests without {@code version} get).
 */
public record ModelList(String defaultModel, List<ModelInfo> models) {}

package io.cifarserve.website.predict;

import java.util.List;

/**
 * What the results page shows for one uploaded picture: either a prediction or an error.
 *
 * @param thumbnail a PNG data URI re-encoded by the server, or null when the file is no picture
 * @param heatmap a PNG data URI of the occlusion overlay, or null when it could not be computed
 */
public record ImageResult(
    String filename,
    String thumbnail,
    String label,
    double probability,
    List<Bar> top,
    String heatmap,
    String error) {

  /** One bar of the top-k chart. */
  public record Bar(String label, double percent) {}

  public boolean failed() {
    return error != null;
  }

  public static ImageResult failure(String filename, String thumbnail, String error) {
    return new ImageResult(filename, thumbnail, null, 0, List.of(), null, error);
  }
}

package io.cifarserve.website.predict;

import java.util.List;

/**
 * What the results page shows for one uploaded picture: either a prediction or an error.
 *
 * @param thumbnail the whole picture with the classified square outlined, a PNG data URI, or null
 * @param crop what the model classified (the centre square at its input size), a PNG data URI, or
 *     null when the file is no picture
 * @param unsure the model is not sure: {@code label} is only its best guess
 * @param heatmap a PNG data URI of the occlusion overlay, or null when it could not be computed
 */
public record ImageResult(
    String filename,
    String thumbnail,
    String crop,
    String label,
    double probability,
    boolean unsure,
    List<Bar> top,
    String heatmap,
    String error) {

  /** One bar of the top-k chart. */
  public record Bar(String label, double percent) {}

  public boolean failed() {
    return error != null;
  }

  public static ImageResult failure(String filename, String error) {
    return new ImageResult(filename, null, null, null, 0, false, List.of(), null, error);
  }
}

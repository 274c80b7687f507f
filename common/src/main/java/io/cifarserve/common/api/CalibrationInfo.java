package io.cifarserve.common.api;

import io.cifarserve.common.model.Calibration;

/**
 * How a served model turns logits into answers ({@code GET /api/v1/model}).
 *
 * @param temperature softmax temperature; 1 for an uncalibrated model
 * @param score the confidence score the threshold applies to
 * @param threshold answers scoring below it are unsure; null when the model has none
 */
public record CalibrationInfo(double temperature, String score, Double threshold) {

  public static CalibrationInfo of(Calibration calibration) {
    return new CalibrationInfo(
        calibration.temperature(),
        calibration.score().id(),
        calibration.flagsUnsure() ? calibration.threshold() : null);
  }
}

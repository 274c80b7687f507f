package io.cifarserve.common.api;

import java.util.List;

/**
 * Why the model answered what it did for one picture ({@code POST /api/v1/explain}).
 *
 * @param prediction the prediction, as {@code /api/v1/predict} gives it
 * @param explainedLabel the class the map explains: the predicted one unless the request named one
 * @param size side of the square picture the model saw and of the map
 * @param heat occlusion sensitivity per pixel of that picture, row-major, scaled so the largest is
 *     1: how much covering the pixel's neighbourhood lowers the explained class's probability
 * @param maxDrop the largest drop in that probability, before scaling (0 to 1)
 * @param input the picture the model classified, after cropping and resizing, as a PNG in base64
 * @param thumbnail the whole picture, at most 160 pixels on its longer side, with the square the
 *     model classified outlined, as a PNG in base64
 */
public record ExplanationResponse(
    PredictionResponse prediction,
    String explainedLabel,
    int size,
    List<Float> heat,
    double maxDrop,
    String input,
    String thumbnail) {}

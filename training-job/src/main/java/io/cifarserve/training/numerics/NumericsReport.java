package io.cifarserve.training.numerics;

/**
 * What the start-up check found, as recorded in {@code params.json}.
 *
 * @param kernels the convolution kernels training runs on
 * @param oneDnnMaxCpuIsa the {@code ONEDNN_MAX_CPU_ISA} setting the process started with, if any
 * @param cases convolution cases checked
 * @param worstRelativeError the largest error of the kernels in use against double precision
 * @param faultFound the oneDNN fault that made the job switch kernels, or null
 * @param seconds time the check took
 */
public record NumericsReport(
    String kernels,
    String oneDnnMaxCpuIsa,
    int cases,
    double worstRelativeError,
    String faultFound,
    double seconds) {}

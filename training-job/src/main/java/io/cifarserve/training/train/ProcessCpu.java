package io.cifarserve.training.train;

import java.lang.management.ManagementFactory;

/** The CPU time this process has used, all threads, native ones (PyTorch's) included. */
final class ProcessCpu {

  private ProcessCpu() {}

  /** Nanoseconds of CPU time so far; differences are what count. */
  static long nanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}

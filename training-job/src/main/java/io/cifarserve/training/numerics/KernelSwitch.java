package io.cifarserve.training.numerics;

/** Turns the engine's optimised CPU kernels (oneDNN) on or off for the whole process. */
public interface KernelSwitch {

  /** Whether the switch can be read and set here. */
  boolean available();

  boolean enabled();

  void setEnabled(boolean enabled);

  /** Where there is no switch: the kernels stay as they are. */
  KernelSwitch NONE =
      new KernelSwitch() {
        @Override
        public boolean available() {
          return false;
        }

        @Override
        public boolean enabled() {
          return true;
        }

        @Override
        public void setEnabled(boolean enabled) {
          throw new UnsupportedOperationException("oneDNN cannot be switched in this process");
        }
      };
}

package io.cifarserve.training.numerics;

import ai.djl.engine.Engine;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * PyTorch's own switch for oneDNN ({@code torch.backends.mkldnn.enabled} in Python), reached in the
 * loaded {@code libtorch_cpu.so} since DJL does not expose it. With it off, convolutions run on
 * PyTorch's native kernels. Unlike {@code ONEDNN_MAX_CPU_ISA}, which oneDNN reads once, it can be
 * set at any time in a running process.
 */
final class OneDnn implements KernelSwitch {

  private static final String LIBRARY = "libtorch_cpu.so";
  private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
  private static final String IS_ENABLED = "_ZNK2at7Context17userEnabledMkldnnEv";
  private static final String SET_ENABLED = "_ZN2at7Context20setUserEnabledMkldnnEb";

  private final NativeLibrary library;
  private final Pointer context;

  private OneDnn(NativeLibrary library) {
    this.library = library;
    this.context = library.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
  }

  /** The switch of the PyTorch library this process loaded, or {@link KernelSwitch#NONE}. */
  static KernelSwitch ofLoadedEngine() {
    Engine.getInstance(); // loads the native library
    try {
      return loadedLibrary()
          .<KernelSwitch>map(path -> new OneDnn(NativeLibrary.getInstance(path)))
          .orElse(KernelSwitch.NONE);
    } catch (UnsatisfiedLinkError | IOException e) {
      return KernelSwitch.NONE;
    }
  }

  /** The path the dynamic linker loaded the library from (Linux only). */
  private static Optional<String> loadedLibrary() throws IOException {
    Path maps = Path.of("/proc/self/maps");
    if (!Files.isReadable(maps)) {
      return Optional.empty();
    }
    return Files.readAllLines(maps).stream()
        .filter(line -> line.endsWith("/" + LIBRARY))
        .map(line -> line.substring(line.indexOf('/')))
        .findFirst();
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public boolean enabled() {
    // A C++ bool comes back in the low byte of the return register.
    return (library.getFunction(IS_ENABLED).invokeInt(new Object[] {context}) & 0xff) != 0;
  }

  @Override
  public void setEnabled(boolean enabled) {
    library.getFunction(SET_ENABLED).invokeVoid(new Object[] {context, enabled});
  }
}

package io.cifarserve.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cifarserve.training.testing.SyntheticCifar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarBinaryFormatTest {

  @TempDir Path dir;

  @Test
  void readsAllSixFilesInTheOfficialLayout() throws Exception {
    SyntheticCifar.write(dir, 20);

    CifarSplit split = CifarBinaryFormat.read(dir, 20);

    assertThat(split.train().size()).isEqualTo(100);
    assertThat(split.test().size()).isEqualTo(20);
    assertThat(split.train().classCounts(10)).containsOnly(10);
    byte[] first = SyntheticCifar.batchFile(20, 0);
    assertThat(split.train().labels()[0]).isEqualTo(first[0]);
    assertThat(Arrays.copyOfRange(split.train().pixels(), 0, 3072))
        .isEqualTo(Arrays.copyOfRange(first, 1, 3073));
  }

  @Test
  void namesATruncatedFile() throws Exception {
    SyntheticCifar.write(dir, 20);
    Path batch = dir.resolve("cifar-10-batches-bin/data_batch_3.bin");
    byte[] bytes = Files.readAllBytes(batch);
    Files.write(batch, Arrays.copyOf(bytes, bytes.length - 100));

    assertThatThrownBy(() -> CifarBinaryFormat.read(dir))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("data_batch_3.bin")
        .hasMessageContaining("truncated");
  }

  @Test
  void namesAFileWithTheWrongNumberOfRecords() throws Exception {
    SyntheticCifar.write(dir, 20);

    assertThatThrownBy(() -> CifarBinaryFormat.read(dir, 10_000))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("data_batch_1.bin")
        .hasMessageContaining("holds 20 records, expected 10000");
  }

  @Test
  void refusesLabelsOutsideTheTenClasses() throws Exception {
    SyntheticCifar.write(dir, 20);
    Path test = dir.resolve("cifar-10-batches-bin/test_batch.bin");
    byte[] bytes = Files.readAllBytes(test);
    bytes[3073] = 12;
    Files.write(test, bytes);

    assertThatThrownBy(() -> CifarBinaryFormat.read(dir))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("test_batch.bin: record 1 has label 12");
  }

  @Test
  void namesAMissingFile() throws Exception {
    SyntheticCifar.write(dir, 20);
    Files.delete(dir.resolve("cifar-10-batches-bin/data_batch_5.bin"));

    assertThatThrownBy(() -> CifarBinaryFormat.read(dir))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("data_batch_5.bin: missing");
  }
}

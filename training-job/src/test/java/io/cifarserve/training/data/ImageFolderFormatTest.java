package io.cifarserve.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cifarserve.common.Cifar10;
import io.cifarserve.common.testing.TestImages;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderFormatTest {

  @TempDir Path dir;

  private void image(String split, String label, String name, Color colour) throws Exception {
    Path folder = Files.createDirectories(dir.resolve(split).resolve(label));
    Files.write(folder.resolve(name), TestImages.png(32, 32, colour));
  }

  @Test
  void mapsClassFoldersToCifarLabelsAndKeepsPixels() throws Exception {
    image("train", "truck", "0001.png", Color.RED);
    image("train", "airplane", "0001.png", Color.BLUE);
    image("test", "cat", "0001.png", Color.GREEN);

    CifarSplit split = Datasets.read(dir);

    assertThat(split.train().labels())
        .containsExactly(Cifar10.indexOf("airplane"), Cifar10.indexOf("truck"));
    assertThat(split.test().labels()).containsExactly(Cifar10.indexOf("cat"));
    assertThat(split.train().pixels()[2048] & 0xFF).isEqualTo(255); // airplane: blue plane
    assertThat(split.train().pixels()[3072] & 0xFF).isEqualTo(255); // truck: red plane
  }

  @Test
  void theTestSplitAloneIsEnoughToEvaluate() throws Exception {
    image("test", "cat", "0001.png", Color.GREEN);

    assertThat(Datasets.readTest(dir).labels()).containsExactly(Cifar10.indexOf("cat"));
    assertThatThrownBy(() -> Datasets.read(dir))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("train/<class>");
  }

  @Test
  void namesAnUnknownClassFolder() throws Exception {
    image("train", "unicorn", "0001.png", Color.RED);
    image("test", "cat", "0001.png", Color.GREEN);

    assertThatThrownBy(() -> Datasets.read(dir))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("unicorn");
  }

  @Test
  void namesAFileThatIsNotAnImage() throws Exception {
    image("train", "cat", "0001.png", Color.RED);
    image("test", "cat", "0001.png", Color.GREEN);
    Files.writeString(dir.resolve("train/cat/notes.jpg"), "not a picture");

    assertThatThrownBy(() -> Datasets.read(dir))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("notes.jpg");
  }

  @Test
  void explainsWhatAnEmptyFolderLacks() {
    assertThatThrownBy(() -> Datasets.read(dir))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("neither CIFAR-10 binary files");
  }
}

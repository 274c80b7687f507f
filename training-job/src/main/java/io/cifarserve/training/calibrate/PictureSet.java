package io.cifarserve.training.calibrate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A folder of pictures of other things, grouped by source. With the {@code manifest.tsv} that
 * {@code scripts/collect-pictures.sh} writes (columns {@code file}, {@code package}, {@code
 * version}, {@code role}, ...), each Debian package is a source; without one, each sub-folder is.
 *
 * @param collected whether the folder was made by {@code scripts/collect-pictures.sh}
 */
record PictureSet(List<Group> groups, boolean collected) {

  /** One source's pictures. */
  record Group(String source, String role, List<Path> files) {}

  static PictureSet read(Path dir) {
    Path manifest = dir.resolve("manifest.tsv");
    return Files.isRegularFile(manifest) ? fromManifest(dir, manifest) : fromFolders(dir);
  }

  /** Where the pictures came from, in a model card's words. */
  String provenance(Path dir) {
    return collected
        ? ("pictures from %d freely licensed Debian packages, collected by"
                + " `scripts/collect-pictures.sh`; its LICENSES.md lists each with its licence")
            .formatted(groups.size())
        : "from `" + dir.getFileName() + "`";
  }

  List<Path> allFiles() {
    return groups.stream().flatMap(g -> g.files().stream()).toList();
  }

  private static PictureSet fromManifest(Path dir, Path manifest) {
    Map<String, Group> groups = new LinkedHashMap<>();
    try (Stream<String> lines = Files.lines(manifest)) {
      List<String> rows = lines.toList();
      List<String> header = List.of(rows.get(0).split("\t"));
      int file = column(header, "file", manifest);
      int source = column(header, "package", manifest);
      int role = header.indexOf("role");
      for (String line : rows.subList(1, rows.size())) {
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split("\t");
        groups
            .computeIfAbsent(
                cells[source],
                s -> new Group(s, role < 0 ? "evaluation" : cells[role], new ArrayList<>()))
            .files()
            .add(dir.resolve(cells[file]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + manifest, e);
    }
    return new PictureSet(List.copyOf(groups.values()), true);
  }

  private static int column(List<String> header, String name, Path manifest) {
    int index = header.indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException(manifest + " has no '" + name + "' column");
    }
    return index;
  }

  private static PictureSet fromFolders(Path dir) {
    Map<String, Group> groups = new LinkedHashMap<>();
    for (Path file : pictures(dir)) {
      Path relative = dir.relativize(file);
      String source = relative.getNameCount() > 1 ? relative.getName(0).toString() : "all";
      groups
          .computeIfAbsent(source, s -> new Group(s, "evaluation", new ArrayList<>()))
          .files()
          .add(file);
    }
    return new PictureSet(List.copyOf(groups.values()), false);
  }

  /** Every JPEG and PNG below {@code dir}, in path order. */
  static List<Path> pictures(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> files =
          walk.filter(Files::isRegularFile)
              .filter(
                  f ->
                      f.getFileName()
                          .toString()
                          .toLowerCase(Locale.ROOT)
                          .matches(".*\\.(jpe?g|png)"))
              .sorted()
              .toList();
      if (files.isEmpty()) {
        throw new IllegalArgumentException("no JPEG or PNG pictures in " + dir);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}

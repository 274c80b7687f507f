package io.cifarserve.training.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Downloads a file over HTTP(S) and checks its digest. The file appears at its target only once
 * complete and verified; on any failure nothing is left behind.
 */
public final class ChecksummedDownload {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(30))
          .build();

  private ChecksummedDownload() {}

  public static void fetch(URI url, Path target, Checksum checksum) {
    Path partial = null;
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      partial =
          Files.createTempFile(
              target.toAbsolutePath().getParent(), "." + target.getFileName(), ".partial");
      HttpResponse<InputStream> response =
          HTTP.send(
              HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      MessageDigest digest = checksum.newDigest();
      try (InputStream body = new DigestInputStream(response.body(), digest);
          OutputStream out = Files.newOutputStream(partial)) {
        if (response.statusCode() != 200) {
          throw new DatasetException(url + " answered HTTP " + response.statusCode());
        }
        body.transferTo(out);
      }
      byte[] actual = digest.digest();
      if (!checksum.matches(actual)) {
        throw new DatasetException(
            "%s: checksum mismatch, expected %s but the download has %s; the file was deleted"
                .formatted(url, checksum, HexFormat.of().formatHex(actual)));
      }
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      partial = null;
    } catch (IOException e) {
      throw new DatasetException("downloading " + url + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DatasetException("download of " + url + " interrupted", e);
    } finally {
      if (partial != null) {
        partial.toFile().delete();
      }
    }
  }
}

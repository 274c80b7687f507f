package io.cifarserve.inference.model;

/** The configured model location ({@code MODEL_PATH}) does not exist or cannot be read. */
public class UnreadableModelLocationException extends RuntimeException {

  private final String location;

  public UnreadableModelLocationException(String location, String reason) {
    super("MODEL_PATH=" + location + " cannot be read: " + reason);
    this.location = location;
  }

  public String location() {
    return location;
  }
}

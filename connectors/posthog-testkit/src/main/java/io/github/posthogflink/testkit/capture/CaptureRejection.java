package io.github.posthogflink.testkit.capture;

/** The capture request is refused: 400, 401 or 413, with a plain-text message. */
public final class CaptureRejection extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    public CaptureRejection(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}

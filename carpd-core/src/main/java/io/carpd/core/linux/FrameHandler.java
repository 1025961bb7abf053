package io.carpd.core.linux;

/** Receives captured frames on the capture thread; {@code frame} is not reused after the call returns. */
@FunctionalInterface
public interface FrameHandler {
    /** {@code frame[0..length)} is a whole Ethernet frame (captured length, at most the snap length). */
    void onFrame(byte[] frame, int length);
}

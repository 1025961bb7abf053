package io.carpd.core.hooks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Drains a hook's output pipe on a virtual thread, keeping the first {@code limit} bytes and
 * discarding the rest, so a chatty hook can neither block on a full pipe nor fill the heap.
 */
final class OutputCapture {
    private final InputStream in;
    private final byte[] kept;
    private final Thread thread;
    private int length;
    private long total;

    private OutputCapture(InputStream in, int limit) {
        this.in = in;
        this.kept = new byte[limit];
        this.thread = Thread.ofVirtual().name("carpd-hook-output").unstarted(this::drain);
    }

    static OutputCapture start(InputStream in, int limit) {
        OutputCapture c = new OutputCapture(in, limit);
        c.thread.start();
        return c;
    }

    /**
     * The captured output once the pipe closed, or after {@code grace} if a background process the
     * hook left running still holds it open (the drain then ends whenever that process closes it).
     */
    String await(Duration grace) throws InterruptedException {
        boolean closed = thread.join(grace);
        synchronized (this) {
            String text = new String(kept, 0, length, StandardCharsets.UTF_8).strip();
            if (total > length) {
                text += " [" + (total - length) + " more bytes not kept]";
            }
            if (!closed) {
                text += " [output still open: a background process of the hook holds it]";
            }
            return text;
        }
    }

    private void drain() {
        byte[] chunk = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                synchronized (this) {
                    int keep = Math.min(n, kept.length - length);
                    System.arraycopy(chunk, 0, kept, length, keep);
                    length += keep;
                    total += n;
                }
            }
        } catch (IOException e) {
            // The process is gone and its pipe with it: what was read so far is all there is.
        }
    }
}

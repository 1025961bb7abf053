package io.carpd.core.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive ownership of a runtime directory ({@code <runtime_dir>/carpd.lock}): two daemons on one
 * runtime dir would fight over the same VIPs and owned-VIP record. The lock is an OS file lock, so it
 * dies with the process, crash included; the file keeps the holder's pid for the error message.
 */
public final class RuntimeLock implements AutoCloseable {

    /** Another live process (or this one) holds the lock. */
    public static final class HeldException extends IOException {
        HeldException(String message) {
            super(message);
        }
    }

    private final FileChannel channel;
    private final FileLock lock;

    private RuntimeLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static RuntimeLock acquire(Path runtimeDir) throws IOException {
        Files.createDirectories(runtimeDir);
        Path file = runtimeDir.resolve("carpd.lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new HeldException("another carpd is running with runtime dir " + runtimeDir
                    + " (" + file + " is locked" + (holder.isEmpty() ? "" : " by pid " + holder) + ")");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return new RuntimeLock(channel, lock);
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(32);
            channel.read(buf, 0);
            return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}

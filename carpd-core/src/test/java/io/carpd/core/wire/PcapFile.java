package io.carpd.core.wire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the frames of a classic libpcap file (24-byte global header, 16-byte record headers). */
final class PcapFile {

    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int MAGIC_NANOS = 0xa1b23c4d;
    private static final int LINKTYPE_ETHERNET = 1;

    private PcapFile() {
    }

    static List<byte[]> frames(String resource) throws IOException {
        byte[] file;
        try (InputStream in = PcapFile.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing test resource " + resource);
            file = in.readAllBytes();
        }
        ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int magic = buf.getInt(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            buf.order(ByteOrder.BIG_ENDIAN);
            magic = buf.getInt(0);
            if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) throw new IOException(resource + ": not a pcap file");
        }
        if (buf.getInt(20) != LINKTYPE_ETHERNET) throw new IOException(resource + ": link type " + buf.getInt(20) + " is not Ethernet");
        List<byte[]> frames = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= file.length) {
            int captured = buf.getInt(pos + 8);
            int start = pos + 16;
            if (captured < 0 || start + captured > file.length) throw new IOException(resource + ": record at " + pos + " runs past the end");
            frames.add(Arrays.copyOfRange(file, start, start + captured));
            pos = start + captured;
        }
        return frames;
    }
}

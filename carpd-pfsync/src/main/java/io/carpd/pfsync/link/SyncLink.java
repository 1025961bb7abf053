package io.carpd.pfsync.link;

import io.carpd.pfsync.wire.FrameCodec;
import io.carpd.pfsync.wire.FrameDrop;
import io.carpd.pfsync.wire.ProtocolVersions;
import io.carpd.pfsync.wire.SessionNonce;
import io.carpd.pfsync.wire.SyncRecord;
import io.carpd.pfsync.wire.SyncSession;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One authenticated TCP connection to the peer, kept up for as long as the link runs. Frames are
 * delimited by the length field of the frame header; each connection gets a fresh {@link
 * SyncSession}. Any rejected frame closes the connection (a stream that carried one bad frame
 * cannot be trusted to be in step) and is counted by reason. All listener calls and all methods
 * except {@link #start()} and {@link #close()} run on {@link #eventLoop()}.
 */
public final class SyncLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyncLink.class);

    /** What the link reports; every call is on the link's event loop. */
    public interface Listener {
        void established(int peerNodeId, int version);

        void frame(long seq, List<SyncRecord> records);

        void lost(String reason);

        /** The connection can take more data again (after a full outbound buffer). */
        void writable();
    }

    private final LinkSettings settings;
    private final Listener listener;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final Map<FrameDrop, Long> drops = new EnumMap<>(FrameDrop.class);
    private Channel server;
    private Channel current;
    private SyncSession session;
    private long redialNanos;
    private long foreignRefused;
    private long connections;
    private long framesSent;
    private long bytesSent;
    private long framesReceived;
    private long bytesReceived;
    private int version;
    private volatile boolean closing;

    public SyncLink(LinkSettings settings, Listener listener) {
        this.settings = settings;
        this.listener = listener;
        this.redialNanos = settings.redialMin().toNanos();
    }

    public EventLoop eventLoop() {
        return loop;
    }

    /**
     * Listens or dials, as {@link LinkSettings#dials()} decides. Call from a thread in the network
     * namespace the link belongs to: sockets are created here.
     */
    public void start() throws InterruptedException {
        if (settings.dials()) {
            dial();
        } else {
            ChannelFuture f = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(initializer())
                    .bind(new InetSocketAddress(settings.local(), settings.port())).sync();
            server = f.channel();
        }
    }

    private void dial() {
        if (closing) {
            return;
        }
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3000)
                .handler(initializer())
                .connect(new InetSocketAddress(settings.peer(), settings.port()), new InetSocketAddress(settings.local(), 0))
                .addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        log.debug("sync: dialling {} failed: {}", settings.peer().getHostAddress(), f.cause().getMessage());
                        redial();
                    }
                });
    }

    private void redial() {
        if (closing || !settings.dials()) {
            return;
        }
        long delay = redialNanos;
        redialNanos = Math.min(redialNanos * 2, settings.redialMax().toNanos());
        loop.schedule(this::dial, delay, TimeUnit.NANOSECONDS);
    }

    private ChannelInitializer<SocketChannel> initializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(
                        new LengthFieldBasedFrameDecoder(FrameCodec.MAX_FRAME_BYTES, FrameCodec.LENGTH_FIELD_OFFSET, 4,
                                -(FrameCodec.LENGTH_FIELD_OFFSET + 4), 0),
                        new FrameHandler());
            }
        };
    }

    private final class FrameHandler extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            if (!remote.getAddress().equals(settings.peer())) {
                foreignRefused++;
                log.warn("sync: refused connection from {} (peer is {})", remote.getAddress().getHostAddress(),
                        settings.peer().getHostAddress());
                ctx.close();
                return;
            }
            if (current != null) {
                // The peer reconnected (it restarted, or saw the old connection die first).
                current.close();
            }
            current = ctx.channel();
            session = new SyncSession(settings.key(), settings.nodeId(), ProtocolVersions.CURRENT, SessionNonce.random());
            connections++;
            write(ctx.channel(), session.helloFrame());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            if (ctx.channel() != current) {
                return;
            }
            framesReceived++;
            bytesReceived += msg.readableBytes();
            SyncSession.Inbound in = session.receive(ByteBufUtil.getBytes(msg));
            switch (in) {
                case SyncSession.Inbound.Established e -> {
                    redialNanos = settings.redialMin().toNanos();
                    version = e.version();
                    log.info("sync: connected to node {} at {} (protocol version {})", e.peerNodeId(),
                            settings.peer().getHostAddress(), e.version());
                    listener.established(e.peerNodeId(), e.version());
                }
                case SyncSession.Inbound.Records r -> listener.frame(r.seq(), r.records());
                case SyncSession.Inbound.Dropped d -> {
                    drops.merge(d.reason(), 1L, Long::sum);
                    log.warn("sync: dropped frame from {} ({}: {}); closing the connection",
                            settings.peer().getHostAddress(), d.reason().label(), d.detail());
                    ctx.close();
                }
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel() == current && ctx.channel().isWritable()) {
                listener.writable();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() != current) {
                return;
            }
            boolean wasEstablished = session != null && session.established();
            current = null;
            session = null;
            version = 0;
            if (wasEstablished) {
                listener.lost("connection to " + settings.peer().getHostAddress() + " closed");
            }
            redial();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("sync: connection error with {}: {}", settings.peer().getHostAddress(), cause.toString());
            ctx.close();
        }
    }

    /** Sends one data frame; false when there is no established connection (the frame is dropped). */
    public boolean send(long seq, List<SyncRecord> records) {
        if (current == null || session == null || !session.established()) {
            return false;
        }
        write(current, session.encode(seq, records));
        return true;
    }

    private void write(Channel ch, byte[] frame) {
        framesSent++;
        bytesSent += frame.length;
        ch.writeAndFlush(Unpooled.wrappedBuffer(frame));
    }

    /** Whether the connection's outbound buffer has room. */
    public boolean writable() {
        return current != null && current.isWritable();
    }

    /** Closes the current connection (the dialling side redials). */
    public void disconnect(String reason) {
        if (current != null) {
            log.warn("sync: closing connection to {}: {}", settings.peer().getHostAddress(), reason);
            current.close();
        }
    }

    public long dropped(FrameDrop reason) {
        return drops.getOrDefault(reason, 0L);
    }

    public long foreignConnectionsRefused() {
        return foreignRefused;
    }

    public long connections() {
        return connections;
    }

    /** Frames written (HELLO included), since start. */
    public long framesSent() {
        return framesSent;
    }

    public long bytesSent() {
        return bytesSent;
    }

    /** Frames read from the peer (rejected ones included), since start. */
    public long framesReceived() {
        return framesReceived;
    }

    public long bytesReceived() {
        return bytesReceived;
    }

    /** Protocol version of the established connection, 0 when there is none. */
    public int version() {
        return version;
    }

    /** Closes the connection and the listener and stops the event loop; idempotent. */
    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        loop.execute(() -> {
            if (current != null) {
                current.close();
            }
            if (server != null) {
                server.close();
            }
        });
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}

package io.carpd.core.api;

import io.carpd.core.metrics.CarpdMetrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API server: HTTP/1.1 + JSON on a Unix socket (root, the daemon's user and
 * {@code socket_group} only) and optionally on TCP (reads open, changes need the bearer token).
 * It has its own single I/O thread; {@link ControlPlane} calls run on virtual threads.
 *
 * <p>Paths: {@code GET /api/v1/status}, {@code GET /api/v1/vips/<iface>/<vhid>},
 * {@code GET /api/v1/events?n=N[&follow=1]} (follow: chunked JSON lines), {@code POST /api/v1/maintenance}
 * {@code {"enabled":bool}}, {@code POST /api/v1/demote} {@code {"group":"carp","value":N}} or
 * {@code {"group":"carp","reset":true}}, {@code POST /api/v1/disable}, {@code /enable}, {@code /reload},
 * {@code GET /api/v1/sync}, {@code POST /api/v1/sync/resync} (state sync),
 * {@code GET /api/v1/config-sync} (status), {@code POST /api/v1/config-sync} {@code {"dry_run":bool,"force":bool}}
 * or {@code {"rollback":true}} (config sync; both 404 when not configured, see {@link ApiExtensions}),
 * {@code GET /metrics}, {@code GET|POST /api/diagnostics/interface/get_vip_status} (also {@code getVipStatus}).
 * Errors are {@code {"error":"..."}} with a matching HTTP status.
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** Control calls running at once, over all connections; more are answered 503. */
    static final int MAX_CONCURRENT_CALLS = 16;
    private static final int IDLE_SECONDS = 60;

    private final IoEventLoopGroup loop;
    private final ExecutorService workers;
    private final Path socket;
    private final ChannelGroup connections;
    private final Semaphore calls = new Semaphore(MAX_CONCURRENT_CALLS);
    private Channel unixChannel;
    private Channel tcpChannel;

    private ControlServer(Path socket) {
        this.socket = socket;
        this.loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("carpd-api", true), EpollIoHandler.newFactory());
        this.workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("carpd-api-call-", 0).factory());
        this.connections = new DefaultChannelGroup("carpd-api", loop.next());
    }

    /**
     * Binds the listeners of {@code settings} and serves {@code plane}.
     *
     * @throws IOException naming the socket or address that could not be bound or secured
     */
    public static ControlServer start(ControlPlane plane, CarpdMetrics metrics, ControlServerSettings settings) throws IOException {
        return start(plane, metrics, settings, ApiExtensions.NONE);
    }

    /** As {@link #start(ControlPlane, CarpdMetrics, ControlServerSettings)}, also serving the parts in {@code extensions}. */
    public static ControlServer start(ControlPlane plane, CarpdMetrics metrics, ControlServerSettings settings,
                                      ApiExtensions extensions) throws IOException {
        if (!Epoll.isAvailable()) throw new IOException("control API needs Linux epoll: " + Epoll.unavailabilityCause());
        ControlServer server = new ControlServer(settings.socket());
        try {
            server.bindUnix(plane, metrics, extensions, settings);
            if (settings.tcp() != null) {
                BearerToken token = settings.token() == null ? null : new BearerToken(settings.token());
                server.tcpChannel = server.bind(EpollServerSocketChannel.class, settings.tcp(), "api.tcp " + settings.tcp(),
                        () -> ApiHandler.tcp(plane, metrics, extensions, server.workers, server.calls, token));
                if (token == null) log.warn("api.tcp: no token_file configured, TCP listener is read-only");
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void bindUnix(ControlPlane plane, CarpdMetrics metrics, ApiExtensions extensions, ControlServerSettings settings)
            throws IOException {
        Files.createDirectories(socket.toAbsolutePath().getParent());
        removeStaleSocket();
        var policy = new AtomicReference<PeerPolicy>();
        unixChannel = bind(EpollServerDomainSocketChannel.class, new DomainSocketAddress(socket.toString()), "api.socket " + socket,
                () -> ApiHandler.unix(plane, metrics, extensions, workers, calls, policy.get()));
        // Until the policy is set, connections are refused: between bind and chmod the file has the
        // umask's mode. The peer-credential check is the real guard; the mode is defence in depth.
        int gid = -1;
        if (settings.socketGroup() != null) {
            try {
                GroupPrincipal group = socket.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByGroupName(settings.socketGroup());
                Files.getFileAttributeView(socket, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(group);
                gid = (Integer) Files.getAttribute(socket, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw new IOException("api.socket_group " + settings.socketGroup() + ": " + e.getMessage(), e);
            }
        }
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString(gid >= 0 ? "rw-rw----" : "rw-------"));
        int ownUid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        policy.set(new PeerPolicy(ownUid, settings.socketGroup(), gid));
    }

    private void removeStaleSocket() throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) return;
        int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & 0170000) != 0140000) throw new IOException("api.socket " + socket + " exists and is not a socket");
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            throw new IOException("api.socket " + socket + " is in use by another process (is carpd already running?)");
        } catch (ConnectException | java.nio.file.NoSuchFileException e) {
            Files.deleteIfExists(socket); // left behind by a daemon that died: nobody listens
        }
    }

    private Channel bind(Class<? extends ServerChannel> type, SocketAddress address, String what, Supplier<ApiHandler> handler)
            throws IOException {
        var bootstrap = new ServerBootstrap()
                .group(loop)
                .channel(type)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true) // answer clients that shut down writing after the request
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(new IdleStateHandler(IDLE_SECONDS, 0, 0), new HttpServerCodec(),
                                new HttpObjectAggregator(MAX_REQUEST_BYTES), handler.get());
                    }
                });
        var bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) throw new IOException(what + ": cannot listen: " + bound.cause().getMessage(), bound.cause());
        log.info("control API listening on {}", bound.channel().localAddress());
        return bound.channel();
    }

    /** The Unix socket path. */
    public Path socketPath() {
        return socket;
    }

    /** The bound TCP address (the real port when configured with port 0), if TCP is on. */
    public Optional<InetSocketAddress> tcpAddress() {
        return Optional.ofNullable(tcpChannel).map(c -> (InetSocketAddress) c.localAddress());
    }

    /** Stops listening, ends open connections and removes the socket file. */
    @Override
    public void close() {
        if (unixChannel != null) unixChannel.close().awaitUninterruptibly();
        if (tcpChannel != null) tcpChannel.close().awaitUninterruptibly();
        connections.close().awaitUninterruptibly(); // ends event streams too
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownNow();
        if (unixChannel != null) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                log.warn("cannot remove control socket {}: {}", socket, e.getMessage());
            }
        }
    }
}

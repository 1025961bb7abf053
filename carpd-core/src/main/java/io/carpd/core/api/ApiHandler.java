package io.carpd.core.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.carpd.core.metrics.CarpdMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control connection: routes requests, enforces who may call what, and runs {@link ControlPlane}
 * calls on the worker executor (they may block), never on the I/O thread. One request per connection
 * is answered at a time: reading pauses and already-decoded pipelined requests wait in a queue, so
 * answers go out in request order.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    static final int DEFAULT_EVENTS = 50;
    static final int MAX_EVENTS = 10_000;

    private final ControlPlane plane;
    private final CarpdMetrics metrics;
    private final SyncControl sync;   // null when state sync is not configured
    private final Executor workers;
    private final Semaphore calls;    // shared by all connections: bounds the load put on the daemon loop
    private final PeerPolicy peers;   // Unix listener only; null until the socket is secured
    private final boolean tcp;
    private final BearerToken token;  // TCP listener only; null = TCP is read-only
    private final ConfigSyncControl configSync; // null when config sync is not configured

    // Connection state, touched only on the connection's event loop.
    private String peerDenial;
    private boolean streaming;
    private boolean busy;        // a request is being answered
    private boolean inputClosed; // the client half-closed (e.g. socat after sending its request)
    private final ArrayDeque<FullHttpRequest> pending = new ArrayDeque<>();
    private ControlPlane.Subscription subscription;

    private ApiHandler(ControlPlane plane, CarpdMetrics metrics, ApiExtensions extensions, Executor workers, Semaphore calls,
                       PeerPolicy peers, boolean tcp, BearerToken token) {
        this.plane = plane;
        this.metrics = metrics;
        this.sync = extensions.stateSync();
        this.configSync = extensions.configSync();
        this.workers = workers;
        this.calls = calls;
        this.peers = peers;
        this.tcp = tcp;
        this.token = token;
    }

    static ApiHandler unix(ControlPlane plane, CarpdMetrics metrics, ApiExtensions extensions, Executor workers,
                           Semaphore calls, PeerPolicy peers) {
        return new ApiHandler(plane, metrics, extensions, workers, calls, peers, false, null);
    }

    static ApiHandler tcp(ControlPlane plane, CarpdMetrics metrics, ApiExtensions extensions, Executor workers,
                          Semaphore calls, BearerToken token) {
        return new ApiHandler(plane, metrics, extensions, workers, calls, null, true, token);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!tcp) {
            if (peers == null) {
                peerDenial = "control socket is not ready yet";
            } else if (ctx.channel() instanceof EpollDomainSocketChannel ch) {
                try {
                    peerDenial = peers.denial(ch.peerCredentials());
                } catch (IOException e) {
                    peerDenial = "cannot read peer credentials: " + e.getMessage();
                }
            } else {
                peerDenial = "not a Unix socket connection";
            }
            if (peerDenial != null) log.warn("control socket: refused connection: {}", peerDenial);
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (subscription != null) subscription.close();
        pending.forEach(FullHttpRequest::release);
        pending.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && !busy && !streaming) {
            ctx.close(); // an idle or half-sent request must not hold a connection forever
        }
        if (evt instanceof ChannelInputShutdownEvent) {
            inputClosed = true;
            // A follower that hangs up ends its stream; a pending answer is still delivered.
            if (!busy) ctx.close();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("control connection {} failed", ctx.channel(), cause);
        ctx.close();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (streaming) return; // an events stream owns this connection until the client hangs up
        if (busy) {
            // Pipelined behind a request still being answered (decoded from the same read):
            // it waits its turn so that answers go out in request order.
            pending.add(req.retain());
            return;
        }
        handle(ctx, req);
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        busy = true; // every path below ends in send() (which clears it) or a stream
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        try {
            route(ctx, req, keepAlive);
        } catch (RuntimeException e) {
            send(ctx, failure(e), false);
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive) {
        if (!req.decoderResult().isSuccess()) {
            send(ctx, Reply.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request: " + req.decoderResult().cause().getMessage()), false);
            return;
        }
        if (peerDenial != null) {
            send(ctx, Reply.error(HttpResponseStatus.FORBIDDEN, peerDenial), false);
            return;
        }
        QueryStringDecoder query = new QueryStringDecoder(req.uri());
        try {
            query.path(); // both decode lazily: surface bad %-escapes here, as a 400
            query.parameters();
        } catch (IllegalArgumentException e) {
            send(ctx, Reply.error(HttpResponseStatus.BAD_REQUEST, "malformed URI " + req.uri() + ": " + e.getMessage()), keepAlive);
            return;
        }
        Endpoint ep = Endpoint.of(query.path());
        if (ep == null) {
            send(ctx, Reply.error(HttpResponseStatus.NOT_FOUND, "no such path: " + query.path()), keepAlive);
            return;
        }
        if (!ep.methods.contains(req.method())) {
            send(ctx, Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                            "method " + req.method() + " not allowed on " + query.path() + " (use " + ep.allowHeader() + ")")
                    .withHeader(HttpHeaderNames.ALLOW.toString(), ep.allowHeader()), keepAlive);
            return;
        }
        if (tcp && ep.mutating && !(ep == Endpoint.CONFIG_SYNC && req.method().equals(HttpMethod.GET))) {
            Reply refusal = authorize(req.headers().get(HttpHeaderNames.AUTHORIZATION));
            if (refusal != null) {
                send(ctx, refusal, keepAlive);
                return;
            }
        }
        Callable<Reply> work;
        try {
            work = prepare(ctx, ep, query, req);
        } catch (CommandBody.Invalid e) {
            send(ctx, Reply.error(HttpResponseStatus.BAD_REQUEST, e.getMessage()), keepAlive);
            return;
        }
        if (work == null) return; // an events stream was started
        if (!calls.tryAcquire()) {
            send(ctx, Reply.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many control calls in progress; retry"), keepAlive);
            return;
        }
        ctx.channel().config().setAutoRead(false);
        workers.execute(() -> {
            Reply reply;
            try {
                reply = run(work);
            } finally {
                calls.release();
            }
            send(ctx, reply, keepAlive);
        });
    }

    private Reply authorize(String authorization) {
        if (token == null) {
            return Reply.error(HttpResponseStatus.FORBIDDEN, "changes over TCP are disabled: no api.tcp.token_file configured");
        }
        if (authorization == null) {
            return Reply.error(HttpResponseStatus.UNAUTHORIZED, "this call changes state: send 'Authorization: Bearer <token>'")
                    .withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Bearer realm=\"carpd\"");
        }
        if (!token.matches(authorization)) return Reply.error(HttpResponseStatus.FORBIDDEN, "bad token");
        return null;
    }

    /** Validates the request on the I/O thread and returns the work to run on a worker. */
    private Callable<Reply> prepare(ChannelHandlerContext ctx, Endpoint ep, QueryStringDecoder query, FullHttpRequest req)
            throws CommandBody.Invalid {
        byte[] body = new byte[req.content().readableBytes()];
        req.content().readBytes(body);
        return switch (ep) {
            case STATUS -> this::status;
            case VIP -> vip(query.path().substring(Endpoint.VIP.path.length()));
            case EVENTS -> events(ctx, query);
            case MAINTENANCE -> {
                boolean on = CommandBody.parse(body, Set.of("enabled")).requireBoolean("enabled");
                yield () -> {
                    plane.setMaintenance(on);
                    return ok(on ? "maintenance_on" : "maintenance_off");
                };
            }
            case DEMOTE -> demote(CommandBody.parse(body, Set.of("group", "value", "reset")));
            case DISABLE, ENABLE -> {
                CommandBody.parse(body, Set.of());
                boolean disable = ep == Endpoint.DISABLE;
                yield () -> {
                    plane.setDisabled(disable);
                    return ok(disable ? "disable" : "enable");
                };
            }
            case RELOAD -> {
                CommandBody.parse(body, Set.of());
                yield this::reload;
            }
            case CONFIG_SYNC -> configSync(req.method(), body);
            case SYNC -> () -> Reply.json(syncControl().status());
            case SYNC_RESYNC -> {
                CommandBody.parse(body, Set.of());
                yield () -> {
                    syncControl().resync();
                    return ok("resync");
                };
            }
            case METRICS -> () -> Reply.text(Reply.PROMETHEUS, metrics.scrape());
            case VIP_STATUS -> {
                Set<String> modes = modes(query, req.method(), body);
                yield () -> Reply.json(OpnsenseVipStatus.of(plane.status(), modes));
            }
        };
    }

    /** The node's status; with state sync configured, its snapshot under {@code "sync"}. */
    private Reply status() {
        NodeStatus node = plane.status();
        if (sync == null) return Reply.json(node);
        ObjectNode out = ApiJson.MAPPER.valueToTree(node);
        try {
            out.set("sync", ApiJson.MAPPER.valueToTree(sync.status()));
        } catch (RuntimeException e) {
            // The node's own status must not depend on the sync loop answering.
            out.putObject("sync").put("error", String.valueOf(e.getMessage()));
        }
        return Reply.json(out);
    }

    private SyncControl syncControl() {
        if (sync == null) throw new ControlException(ControlException.Kind.NOT_FOUND, "state sync is not configured (no sync: section)");
        return sync;
    }

    private Callable<Reply> vip(String rest) {
        String[] parts = rest.split("/");
        int vhid = parts.length == 2 ? parseVhid(parts[1]) : -1;
        if (vhid < 0) {
            return () -> Reply.error(HttpResponseStatus.NOT_FOUND, "no such path: expected /api/v1/vips/<interface>/<vhid>");
        }
        String iface = parts[0];
        return () -> plane.status().vips().stream()
                .filter(v -> v.iface().equals(iface) && v.vhid() == vhid)
                .findFirst()
                .map(Reply::json)
                .orElseGet(() -> Reply.error(HttpResponseStatus.NOT_FOUND, "no vhid " + vhid + " on " + iface));
    }

    private static int parseVhid(String s) {
        try {
            int v = Integer.parseInt(s);
            return v >= 1 && v <= 255 ? v : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Callable<Reply> demote(CommandBody b) throws CommandBody.Invalid {
        String group = b.optionalString("group", "carp");
        int value;
        if (b.has("reset")) {
            if (b.has("value")) throw new CommandBody.Invalid("give either 'value' or 'reset', not both");
            if (!b.requireBoolean("reset")) throw new CommandBody.Invalid("field 'reset' can only be true");
            value = 0;
        } else {
            value = b.requireInt("value", 0, 255);
        }
        return () -> {
            plane.setDemotion(group, value);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ok", true);
            out.put("action", value == 0 ? "demote_reset" : "demote");
            out.put("group", group);
            out.put("value", value);
            return Reply.json(out);
        };
    }

    /** GET: status; POST {"dry_run","force"}: push; POST {"rollback":true}: restore the previous version here. */
    private Callable<Reply> configSync(HttpMethod method, byte[] body) throws CommandBody.Invalid {
        if (configSync == null) {
            return () -> Reply.error(HttpResponseStatus.NOT_FOUND, "config sync is not configured (no config_sync section)");
        }
        if (method.equals(HttpMethod.GET)) return () -> Reply.json(configSync.status());
        CommandBody b = CommandBody.parse(body, Set.of("dry_run", "force", "rollback"));
        boolean rollback = b.has("rollback") && b.requireBoolean("rollback");
        boolean dryRun = b.has("dry_run") && b.requireBoolean("dry_run");
        boolean force = b.has("force") && b.requireBoolean("force");
        if (rollback && (dryRun || force)) throw new CommandBody.Invalid("'rollback' cannot be combined with 'dry_run' or 'force'");
        return () -> {
            ConfigSyncControl.Outcome o = rollback ? configSync.rollback() : configSync.push(dryRun, force);
            return Reply.json(o.ok() ? HttpResponseStatus.OK : HttpResponseStatus.UNPROCESSABLE_ENTITY, o);
        };
    }

    private Reply reload() {
        ReloadResult r = plane.reload();
        if (r.ok() && configSync != null) configSync.reloaded();
        if (r.ok()) return Reply.json(r);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", "reload refused: " + r.errors().getFirst()
                + (r.errors().size() > 1 ? " (and " + (r.errors().size() - 1) + " more)" : ""));
        out.put("ok", false);
        out.put("errors", r.errors());
        return Reply.json(HttpResponseStatus.UNPROCESSABLE_ENTITY, out);
    }

    private static Reply ok(String action) {
        return Reply.json(Map.of("ok", true, "action", action));
    }

    private static Set<String> modes(QueryStringDecoder query, HttpMethod method, byte[] body) throws CommandBody.Invalid {
        Set<String> modes = new LinkedHashSet<>(query.parameters().getOrDefault("mode[]", List.of()));
        if (method.equals(HttpMethod.POST) && body.length > 0) {
            var form = new QueryStringDecoder(new String(body, StandardCharsets.UTF_8), false);
            try {
                modes.addAll(form.parameters().getOrDefault("mode[]", List.of()));
            } catch (IllegalArgumentException e) {
                throw new CommandBody.Invalid("malformed form body: " + e.getMessage());
            }
        }
        return modes;
    }

    private Callable<Reply> events(ChannelHandlerContext ctx, QueryStringDecoder query) throws CommandBody.Invalid {
        int n = DEFAULT_EVENTS;
        List<String> ns = query.parameters().get("n");
        if (ns != null) {
            try {
                n = Integer.parseInt(ns.getFirst());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0 || n > MAX_EVENTS) throw new CommandBody.Invalid("parameter 'n' must be an integer 0.." + MAX_EVENTS + ", got " + ns.getFirst());
        }
        List<String> follow = query.parameters().get("follow");
        boolean following = follow != null && Set.of("", "1", "true", "yes").contains(follow.getFirst());
        int count = n;
        if (!following) return () -> Reply.json(plane.events(count));
        startStream(ctx, count);
        return null;
    }

    /**
     * Streams events as chunked JSON lines: the newest {@code n}, then live ones. Subscribes before
     * reading the backlog, then drops live events the backlog already holds (by sequence number).
     */
    private void startStream(ChannelHandlerContext ctx, int n) {
        streaming = true;
        busy = false;
        EventStream stream = new EventStream(ctx);
        workers.execute(() -> {
            ControlPlane.Subscription sub;
            List<NodeEventRecord> backlog;
            try {
                sub = plane.subscribe(ev -> ctx.executor().execute(() -> stream.live(ev)));
                try {
                    backlog = plane.events(n);
                } catch (RuntimeException e) {
                    sub.close();
                    throw e;
                }
            } catch (RuntimeException e) {
                send(ctx, failure(e), false);
                return;
            }
            ctx.executor().execute(() -> {
                subscription = sub;
                if (!ctx.channel().isActive()) {
                    sub.close();
                    return;
                }
                stream.start(backlog);
                ctx.channel().config().setAutoRead(true); // notice the client hanging up
            });
        });
    }

    /** Writes events of one follower; every method runs on the connection's event loop. */
    private static final class EventStream {
        private final ChannelHandlerContext ctx;
        private final List<NodeEventRecord> early = new ArrayList<>();
        private boolean started;
        private long lastSeq = Long.MIN_VALUE;

        EventStream(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        void start(List<NodeEventRecord> backlog) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-ndjson");
            HttpUtil.setTransferEncodingChunked(head, true);
            ctx.write(head);
            started = true;
            backlog.forEach(this::live);
            early.forEach(this::live);
            early.clear();
        }

        void live(NodeEventRecord ev) {
            if (!started) {
                early.add(ev);
                return;
            }
            if (ev.seq() <= lastSeq || !ctx.channel().isActive()) return;
            if (!ctx.channel().isWritable()) {
                log.warn("control socket: closing events stream of {}: client does not keep up", ctx.channel());
                ctx.close();
                return;
            }
            lastSeq = ev.seq();
            byte[] line = ApiJson.bytes(ev);
            var buf = Unpooled.buffer(line.length + 1).writeBytes(line).writeByte('\n');
            ctx.writeAndFlush(new DefaultHttpContent(buf));
        }
    }

    private static Reply run(Callable<Reply> work) {
        try {
            return work.call();
        } catch (Exception e) {
            return failure(e);
        }
    }

    private static Reply failure(Exception e) {
        if (e instanceof ControlException c) return Reply.error(c.kind().httpStatus(), c.getMessage());
        log.error("control API call failed", e);
        return Reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e);
    }

    /** Writes a whole answer; may be called from any thread. */
    private void send(ChannelHandlerContext ctx, Reply reply, boolean keepAlive) {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(), Unpooled.wrappedBuffer(reply.body()));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        reply.headers().forEach(resp.headers()::set);
        resp.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(resp).addListener(f -> { // runs on the event loop
            busy = false;
            FullHttpRequest next = keepAlive ? pending.poll() : null;
            if (next != null) {
                try {
                    handle(ctx, next);
                } finally {
                    next.release();
                }
            } else if (keepAlive && !inputClosed) {
                ctx.channel().config().setAutoRead(true);
            } else {
                ctx.close();
            }
        });
    }
}

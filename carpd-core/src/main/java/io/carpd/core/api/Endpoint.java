package io.carpd.core.api;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Set;

/** The paths the control server answers, with their allowed methods. */
enum Endpoint {
    STATUS("/api/v1/status", false, HttpMethod.GET),
    VIP("/api/v1/vips/", false, HttpMethod.GET),
    EVENTS("/api/v1/events", false, HttpMethod.GET),
    MAINTENANCE("/api/v1/maintenance", true, HttpMethod.POST),
    DEMOTE("/api/v1/demote", true, HttpMethod.POST),
    DISABLE("/api/v1/disable", true, HttpMethod.POST),
    ENABLE("/api/v1/enable", true, HttpMethod.POST),
    RELOAD("/api/v1/reload", true, HttpMethod.POST),
    CONFIG_SYNC("/api/v1/config-sync", true, HttpMethod.GET, HttpMethod.POST),
    SYNC("/api/v1/sync", false, HttpMethod.GET),
    SYNC_RESYNC("/api/v1/sync/resync", true, HttpMethod.POST),
    METRICS("/metrics", false, HttpMethod.GET),
    VIP_STATUS("/api/diagnostics/interface/get_vip_status", false, HttpMethod.GET, HttpMethod.POST);

    private static final String VIP_STATUS_CAMEL = "/api/diagnostics/interface/getVipStatus";

    final String path;
    final boolean mutating;
    final Set<HttpMethod> methods;

    Endpoint(String path, boolean mutating, HttpMethod... methods) {
        this.path = path;
        this.mutating = mutating;
        this.methods = Set.of(methods);
    }

    /** The endpoint serving {@code path}, or null. {@link #VIP} owns everything under its prefix. */
    static Endpoint of(String path) {
        if (path.length() > 1 && path.endsWith("/")) path = path.substring(0, path.length() - 1);
        if (path.equals(VIP_STATUS_CAMEL)) return VIP_STATUS;
        for (Endpoint e : values()) {
            if (e == VIP ? path.startsWith(e.path) : path.equals(e.path)) return e;
        }
        return null;
    }

    String allowHeader() {
        return String.join(", ", methods.stream().map(HttpMethod::name).sorted().toList());
    }
}

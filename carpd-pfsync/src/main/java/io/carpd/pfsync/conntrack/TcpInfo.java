package io.carpd.pfsync.conntrack;

/**
 * TCP protocol info of a connection: conntrack state (0 NONE .. 9 SYN_SENT2), window scale per
 * direction, and the per-direction flag bytes (IP_CT_TCP_FLAG_*).
 */
public record TcpInfo(int state, int wscaleOriginal, int wscaleReply, int flagsOriginal, int flagsReply) {
    public static final int ESTABLISHED = 3;
    public static final int TIME_WAIT = 7;
    public static final int CLOSE = 8;
    public static final int MAX_STATE = 9;
    public static final int MAX_WSCALE = 14;
    public static final int FLAG_WINDOW_SCALE = 0x01;
    public static final int FLAG_SACK_PERM = 0x02;
    /** Accept any in-window-looking segment: how an injected entry survives unknown windows. */
    public static final int FLAG_BE_LIBERAL = 0x08;

    public TcpInfo {
        if (state < 0 || state > MAX_STATE) {
            throw new IllegalArgumentException("TCP state " + state + " out of range 0.." + MAX_STATE);
        }
        if (wscaleOriginal < 0 || wscaleOriginal > MAX_WSCALE || wscaleReply < 0 || wscaleReply > MAX_WSCALE) {
            throw new IllegalArgumentException("TCP window scale out of range 0.." + MAX_WSCALE);
        }
        if ((flagsOriginal & ~0xff) != 0 || (flagsReply & ~0xff) != 0) {
            throw new IllegalArgumentException("TCP flags must fit one byte");
        }
    }
}

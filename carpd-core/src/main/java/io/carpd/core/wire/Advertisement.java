package io.carpd.core.wire;

/**
 * The CARP header fields the election needs, from a validated packet or for one to send.
 *
 * @param vhid    virtual host id, 1..255
 * @param advbase advertisement base interval in seconds, 0..255
 * @param advskew advertised skew, 0..255 (255 only in the bow-out advert)
 * @param demote  OpenBSD demote byte, 0..255
 * @param counter the 8 counter bytes as a big-endian long
 */
public record Advertisement(int vhid, int advbase, int advskew, int demote, long counter) {

    public Advertisement {
        if (vhid < 1 || vhid > 255) throw new IllegalArgumentException("vhid out of range 1..255: " + vhid);
        if (advbase < 0 || advbase > 255) throw new IllegalArgumentException("advbase out of range 0..255: " + advbase);
        if (advskew < 0 || advskew > 255) throw new IllegalArgumentException("advskew out of range 0..255: " + advskew);
        if (demote < 0 || demote > 255) throw new IllegalArgumentException("demote out of range 0..255: " + demote);
    }

    /** The OpenBSD bow-out advert (advbase 255, advskew 255): every receiver's master will time out at once. */
    public boolean isBowOut() {
        return advbase == 255 && advskew == 255;
    }

    /** The sender's advert interval in 1/256 s units: advbase·256 + advskew. */
    public int intervalTicks() {
        return advbase * 256 + advskew;
    }
}

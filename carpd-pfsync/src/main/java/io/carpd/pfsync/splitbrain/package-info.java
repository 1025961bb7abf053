/**
 * Split-brain detection over the sync link, sans I/O: each node sends its VHID states to the peer
 * (record VHID_STATES); {@link io.carpd.pfsync.splitbrain.SplitBrainDetector} compares the peer's
 * latest view with our own and reports a VHID both claim as MASTER for longer than one advert
 * interval — a sign that adverts are lost between the nodes while the sync link still works.
 */
package io.carpd.pfsync.splitbrain;

/**
 * The state-sync protocol engine, sans I/O: local conntrack changes, decoded peer frames, link
 * up/down and timer expiry go in together with the current monotonic time; frames to send,
 * kernel writes for peer states, demotion changes, link closes and the next deadline come out.
 * It keeps the local table (merging partial kernel events), a per-state coalescing send queue,
 * bulk transfer in both directions, keepalive/RTT/ack bookkeeping and the "sync not complete"
 * demotion that holds a starting node back until its first bulk transfer is done.
 */
package io.carpd.pfsync.engine;

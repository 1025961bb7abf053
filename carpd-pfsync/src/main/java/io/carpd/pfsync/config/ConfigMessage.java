package io.carpd.pfsync.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * Messages of the config-sync conversation. The sender opens with {@link Begin}; the receiver
 * answers {@link Accepted} or a refusing {@link Result}; then {@link Chunk}s and {@link End}
 * follow and the receiver answers with the {@link Result}. {@link Query} / {@link Report} read
 * the peer's versions and section hashes for status.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ConfigMessage.Begin.class, name = "begin"),
        @JsonSubTypes.Type(value = ConfigMessage.Accepted.class, name = "accepted"),
        @JsonSubTypes.Type(value = ConfigMessage.Chunk.class, name = "chunk"),
        @JsonSubTypes.Type(value = ConfigMessage.End.class, name = "end"),
        @JsonSubTypes.Type(value = ConfigMessage.Result.class, name = "result"),
        @JsonSubTypes.Type(value = ConfigMessage.Query.class, name = "query"),
        @JsonSubTypes.Type(value = ConfigMessage.Report.class, name = "report")})
public sealed interface ConfigMessage {
    long tx();

    /** What the sender asks for. */
    enum Mode { PUSH, DRY_RUN }

    /** One section about to be sent: {@code size} bytes with this SHA-256. */
    record Manifest(String name, long size, String sha256) {}

    /** {@code force}: the operator overrode the MASTER checks (the receiver then accepts even while MASTER). */
    record Begin(long tx, Mode mode, String node, String carpdVersion, int schemaVersion, boolean force,
                 List<Manifest> sections) implements ConfigMessage {
        public Begin {
            sections = List.copyOf(sections);
        }
    }

    record Accepted(long tx) implements ConfigMessage {}

    /** {@code data} of section number {@code section} (index into Begin's list) at {@code offset}. */
    record Chunk(long tx, int section, long offset, byte[] data) implements ConfigMessage {}

    record End(long tx) implements ConfigMessage {}

    /**
     * How one section fared on the receiver.
     *
     * @param status  unchanged, changed (dry run), applied, refused, invalid, failed, restored, not_applied
     * @param before  SHA-256 of the receiver's version before (or "absent")
     * @param after   SHA-256 of the version in effect afterwards
     * @param diff    unified diff of the receiver's version against the sent one ("" when equal)
     * @param detail  command output or reason, for the operator
     */
    record SectionResult(String name, String status, String before, String after, String diff, String detail) {}

    record Result(long tx, boolean ok, String node, String message, List<SectionResult> sections)
            implements ConfigMessage {
        public Result {
            sections = List.copyOf(sections);
        }
    }

    record Query(long tx) implements ConfigMessage {}

    /** The receiver's versions, its section hashes, and how the last sync it received went. */
    record Report(long tx, String node, String carpdVersion, int schemaVersion, List<SectionHash> sections,
                  String lastReceived) implements ConfigMessage {
        public Report {
            sections = List.copyOf(sections);
        }
    }

    record SectionHash(String name, boolean synced, String sha256) {}
}

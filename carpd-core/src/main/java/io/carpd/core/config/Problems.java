package io.carpd.core.config;

import io.carpd.core.config.ConfigProblem.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/** Collects the problems of one file so validation can go on after the first one. */
final class Problems {
    private final Path file;
    private final List<ConfigProblem> found = new ArrayList<>();

    Problems(Path file) {
        this.file = file;
    }

    void error(Node at, String field, String message) {
        add(at.getStartMark(), field, message, Severity.ERROR);
    }

    void warning(Node at, String field, String message) {
        add(at.getStartMark(), field, message, Severity.WARNING);
    }

    void error(Mark at, String field, String message) {
        add(at, field, message, Severity.ERROR);
    }

    /** A problem about the file as a whole (unreadable, empty). */
    void fileError(String message) {
        found.add(new ConfigProblem(file, 0, 0, "", message, Severity.ERROR));
    }

    boolean hasErrors() {
        return found.stream().anyMatch(ConfigProblem::isError);
    }

    /** In file order, so the output reads top to bottom like the file. */
    List<ConfigProblem> all() {
        return found.stream()
                .sorted(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column))
                .toList();
    }

    List<ConfigProblem> warnings() {
        return all().stream().filter(p -> !p.isError()).toList();
    }

    private void add(Mark mark, String field, String message, Severity severity) {
        int line = mark == null ? 0 : mark.getLine() + 1;
        int column = mark == null ? 0 : mark.getColumn() + 1;
        found.add(new ConfigProblem(file, line, column, field, message, severity));
    }
}

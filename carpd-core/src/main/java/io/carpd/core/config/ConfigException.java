package io.carpd.core.config;

import java.util.List;

/** The configuration has at least one error; carries every problem found (errors and warnings). */
public final class ConfigException extends Exception {
    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> getProblems() {
        return problems;
    }

    private static String summary(List<ConfigProblem> problems) {
        long errors = problems.stream().filter(ConfigProblem::isError).count();
        StringBuilder sb = new StringBuilder().append(errors).append(errors == 1 ? " error" : " errors")
                .append(" in configuration");
        problems.forEach(p -> sb.append('\n').append(p));
        return sb.toString();
    }
}

package io.carpd.cli.monitoring;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. Enough of PromQL for our dashboard and rules:
 * string literals, label matchers, ranges and grouping label lists are removed first, then every
 * remaining identifier that is neither a function call nor a keyword is a metric name. Grafana's
 * {@code label_values(selector, label)} is reduced to its selector.
 */
final class PromQl {

    /** Operators and modifiers; aggregations too, as their grouping clause may come before the parenthesis. */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "inf", "nan", "atan2",
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "limitk", "limit_ratio");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LIST = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_]\\w*\\s*\\)\\s*$");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

    private PromQl() {}

    /** Metric names read by {@code expr} (a PromQL expression or a Grafana label_values query). */
    static Set<String> metricNames(String expr) {
        Matcher lv = LABEL_VALUES.matcher(expr);
        String e = lv.matches() ? lv.group(1) : expr;
        e = STRING.matcher(e).replaceAll("\"\"");
        e = MATCHERS.matcher(e).replaceAll("{}");
        e = RANGE.matcher(e).replaceAll("");
        e = LABEL_LIST.matcher(e).replaceAll("$1");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            if (m.group(2) != null || KEYWORDS.contains(m.group(1))) continue;
            names.add(m.group(1));
        }
        return names;
    }
}

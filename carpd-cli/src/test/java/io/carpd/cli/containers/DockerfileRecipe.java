package io.carpd.cli.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the final stage of docker/Dockerfile puts where and how it starts: the files copied from the
 * build context (context path → path in the image), ENV, ENTRYPOINT and the HEALTHCHECK command.
 * Reading these from the Dockerfile, instead of repeating them, is what keeps the CI image equal to
 * the published one. Only the instruction forms the Dockerfile uses are understood; anything else
 * is reported, not guessed.
 */
record DockerfileRecipe(Map<String, String> copies, Map<String, String> env, List<String> entrypoint,
                        List<String> healthcheck) {

    private static final Pattern EXEC_FORM = Pattern.compile("\\[(.*)]");
    private static final Pattern JSON_STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    static DockerfileRecipe read(Path dockerfile) {
        List<String> lines;
        try {
            lines = instructions(Files.readString(dockerfile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int lastFrom = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (keyword(lines.get(i)).equals("FROM")) lastFrom = i;
        }
        Map<String, String> copies = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        List<String> entrypoint = List.of();
        List<String> healthcheck = List.of();
        for (String line : lines.subList(lastFrom + 1, lines.size())) {
            String args = line.substring(keyword(line).length()).strip();
            switch (keyword(line)) {
                case "COPY" -> {
                    if (args.startsWith("--")) continue; // --from=stage: built, not from the context
                    String[] words = args.split("\\s+");
                    String dest = words[words.length - 1];
                    for (int i = 0; i < words.length - 1; i++) {
                        String src = words[i];
                        copies.put(src, dest.endsWith("/") ? dest + Path.of(src).getFileName() : dest);
                    }
                }
                case "ENV" -> {
                    for (String pair : args.split("\\s+")) {
                        int eq = pair.indexOf('=');
                        if (eq <= 0) throw new IllegalArgumentException(dockerfile + ": ENV needs KEY=VALUE: " + line);
                        env.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
                case "ENTRYPOINT" -> entrypoint = execForm(dockerfile, args);
                case "HEALTHCHECK" -> healthcheck = execForm(dockerfile, args.substring(args.indexOf("CMD") + 3).strip());
                default -> { }
            }
        }
        return new DockerfileRecipe(copies, env, entrypoint, healthcheck);
    }

    /** Instructions one per element: comments dropped, continuation lines joined. */
    private static List<String> instructions(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) continue;
            boolean continued = line.endsWith("\\");
            current.append(continued ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continued) {
                out.add(current.toString().strip());
                current.setLength(0);
            }
        }
        return out;
    }

    private static String keyword(String instruction) {
        int space = instruction.indexOf(' ');
        return (space < 0 ? instruction : instruction.substring(0, space)).toUpperCase();
    }

    private static List<String> execForm(Path dockerfile, String args) {
        Matcher m = EXEC_FORM.matcher(args);
        if (!m.matches()) throw new IllegalArgumentException(dockerfile + ": expected exec form [\"...\"], got " + args);
        List<String> words = new ArrayList<>();
        Matcher s = JSON_STRING.matcher(m.group(1));
        while (s.find()) words.add(s.group(1));
        return List.copyOf(words);
    }
}

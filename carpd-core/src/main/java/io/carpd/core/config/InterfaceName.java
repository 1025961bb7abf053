package io.carpd.core.config;

import java.util.regex.Pattern;

/**
 * Linux interface names as the kernel's {@code dev_valid_name} accepts them: 1 to 15 characters
 * (IFNAMSIZ is 16 with the NUL), no {@code /}, {@code :} or whitespace, and not {@code .} or
 * {@code ..}. The config check and the code that turns names into /proc paths use this one rule,
 * so a name the config accepts is never refused later, and none can climb out of a directory.
 */
public final class InterfaceName {
    private static final Pattern VALID = Pattern.compile("[^\\s/:]{1,15}");

    private InterfaceName() {
    }

    public static boolean isValid(String name) {
        return VALID.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }
}

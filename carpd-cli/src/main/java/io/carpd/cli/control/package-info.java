/**
 * The operator verbs of the {@code carpd} command ({@code status}, {@code maintenance}, {@code demote},
 * {@code disable}, {@code enable}, {@code reload}, {@code events}): each one HTTP request to the
 * running daemon's control socket through {@link io.carpd.core.api.ControlClient}, printed for humans
 * or as JSON. Exit codes: 0 done, 1 refused or failed (one-line reason on stderr), 2 usage error.
 */
package io.carpd.cli.control;
